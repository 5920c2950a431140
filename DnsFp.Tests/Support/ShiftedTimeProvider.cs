namespace DnsFp.Tests.Support;

/// <summary>
/// The real clock moved forward by <see cref="Offset"/>: what the server believes "now" is, while its timers and
/// delays keep running in real time (so polling and pacing behave as in production). Tests move it to cross days.
/// </summary>
public sealed class ShiftedTimeProvider : TimeProvider
{
    private long _offsetTicks;

    public TimeSpan Offset
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));
        set => Interlocked.Exchange(ref _offsetTicks, value.Ticks);
    }

    public override DateTimeOffset GetUtcNow() => TimeProvider.System.GetUtcNow() + Offset;
}
