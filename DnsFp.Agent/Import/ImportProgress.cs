using System.Diagnostics;

namespace DnsFp.Agent.Import;

/// <summary>
/// A progress line on stderr for long imports: at most one per second, and a final one with the rate. The inputs are
/// streamed, so the total is not known in advance: the lines say how many facts are written and how fast.
/// </summary>
internal sealed class ImportProgress(TextWriter output)
{
    private readonly long _started = Stopwatch.GetTimestamp();
    private long _lastReport = Stopwatch.GetTimestamp();

    public void Report(long done)
    {
        if (Stopwatch.GetElapsedTime(_lastReport) < TimeSpan.FromSeconds(1)) return;
        _lastReport = Stopwatch.GetTimestamp();
        var elapsed = Stopwatch.GetElapsedTime(_started);
        output.WriteLine($"  {done:N0} facts written ({done / elapsed.TotalSeconds:N0}/s)");
    }

    public void Done(long total)
    {
        var elapsed = Stopwatch.GetElapsedTime(_started);
        if (elapsed > TimeSpan.FromSeconds(1))
            output.WriteLine($"  {total:N0} facts written in {elapsed.TotalSeconds:F1} s ({total / elapsed.TotalSeconds:N0}/s)");
    }
}
