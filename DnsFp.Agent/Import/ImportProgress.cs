using System.Diagnostics;

namespace DnsFp.Agent.Import;

/// <summary>A progress line on stderr for long imports: at most one per second, and a final one with the rate.</summary>
internal sealed class ImportProgress(TextWriter output, int total)
{
    private readonly long _started = Stopwatch.GetTimestamp();
    private long _lastReport = Stopwatch.GetTimestamp();

    public void Report(int done)
    {
        if (Stopwatch.GetElapsedTime(_lastReport) < TimeSpan.FromSeconds(1)) return;
        _lastReport = Stopwatch.GetTimestamp();
        output.WriteLine($"  {done:N0} / {total:N0} facts written ({100.0 * done / total:F0} %)");
    }

    public void Done()
    {
        var elapsed = Stopwatch.GetElapsedTime(_started);
        if (elapsed > TimeSpan.FromSeconds(1))
            output.WriteLine($"  {total:N0} facts written in {elapsed.TotalSeconds:F1} s ({total / elapsed.TotalSeconds:N0}/s)");
    }
}
