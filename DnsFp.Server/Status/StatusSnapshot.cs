using DnsFp.Server.Bands;
using DnsFp.Server.Ratings;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace DnsFp.Server.Status;

/// <summary>
/// The verdict window as the page shows it: rows per class and per label, read from Redis as the stats command reads
/// them (<see cref="VerdictWindow"/>, <see cref="StatsRow"/>), so page and command agree. Kept for a few seconds:
/// a burst of page views costs Redis one read, and a view never waits behind another's read.
/// </summary>
internal sealed class StatusSnapshot(IConnectionMultiplexer redis, IOptions<BandOptions> bands, TimeProvider time)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(5);

    public sealed record Window(DateTimeOffset TakenAt, int Days, int MinimumVerdicts, List<StatsRow> Classes,
        IReadOnlyCollection<LabelRater.LabelCounts> Labels, Dictionary<int, LabelRating> Ratings);

    private Task<Window>? _current;
    private long _takenAt;
    private readonly Lock _refresh = new();

    public Task<Window> GetAsync()
    {
        lock (_refresh)          // page views only, never the query path
        {
            if (_current is null || _current.IsFaulted || (_current.IsCompleted && time.GetElapsedTime(_takenAt) > MaxAge))
            {
                _takenAt = time.GetTimestamp();
                _current = ReadAsync();
            }
            return _current;
        }
    }

    private async Task<Window> ReadAsync()
    {
        var o = bands.Value;
        var now = time.GetUtcNow();
        var labels = await VerdictWindow.ReadAsync(redis.GetDatabase(), o.WindowDays, DateOnly.FromDateTime(now.UtcDateTime));
        var ratings = LabelRater.Rate(labels, o.MinimumVerdicts);
        return new Window(now, o.WindowDays, o.MinimumVerdicts, StatsRow.Build(labels, ratings, StatsRow.Grouping.Class, o.MinimumVerdicts), labels, ratings);
    }
}
