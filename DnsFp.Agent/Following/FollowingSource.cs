using DnsFp.Agent.Sources.P0f;
using DnsFp.Agent.Spool;
using DnsFp.Contract;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DnsFp.Agent.Following;

/// <summary>
/// Follows one log: a batch of new lines → facts → spool (fsync) → the position saved. Only then is the next batch
/// read, so a kill at any moment either re-reads a batch (its facts carry the same ids and are counted once) or
/// finds it done. Unparseable lines are logged with their text and skipped.
/// </summary>
internal sealed partial class FollowingSource(LogFollower follower, ILogLineReader reader, FactSpool spool, TimeSpan pollInterval,
    TimeProvider time, ILogger<FollowingSource> logger, Metrics.AgentMetrics.SourceCounters counters, P0fLookup? p0f = null) : BackgroundService
{
    private const int BatchLines = 2000;
    private long _unparseable;

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        reader.LoadState(follower.Committed.ReaderState);
        LogFollowing(logger, reader.Name, follower.Path, follower.Committed.Offset);
        bool reportedMissing = false;
        while (!stop.IsCancellationRequested)
        {
            List<FollowedLine> lines;
            try
            {
                lines = follower.ReadBatch(BatchLines);
                reportedMissing = false;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                if (!reportedMissing) LogCannotRead(logger, follower.Path, ex.Message);
                reportedMissing = true;
                await Delay(TimeSpan.FromSeconds(1), stop);
                continue;
            }
            if (lines.Count == 0) { await Delay(pollInterval, stop); continue; }

            var facts = new List<Fact>(lines.Count);
            long now = time.GetUtcNow().ToUnixTimeSeconds();
            foreach (var line in lines)
            {
                if (string.IsNullOrWhiteSpace(line.Text)) continue;                 // blank lines mean nothing in any log
                string? problem = reader.Read(line, now, facts);
                if (problem is null) continue;
                counters.Unparseable();
                if (_unparseable++ < 100) LogUnparseable(logger, follower.Path, problem, line.Text);
            }
            counters.Read(lines.Count);
            if (p0f is not null)
            {
                // fingerprints first, so these verdicts count against the OS p0f saw
                var observations = await p0f.ObserveAsync(facts.Where(f => f.Kind != FactKind.Observation).Select(f => f.Address), now, stop);
                facts.InsertRange(0, observations);
            }
            while (!spool.TryAppend(facts))
            {
                // spool full (Redis away for long): keep the lines in the log and wait; stopping is fine too,
                // the position was not moved
                if (!await Delay(TimeSpan.FromSeconds(1), stop)) return;
            }
            follower.Commit(reader.SaveState());
        }
    }

    private async Task<bool> Delay(TimeSpan delay, CancellationToken stop)
    {
        try { await Task.Delay(delay, time, stop); return true; }
        catch (OperationCanceledException) { return false; }
    }

    public override void Dispose()
    {
        follower.Dispose();
        base.Dispose();
    }

    [LoggerMessage(600, LogLevel.Information, "Following {Reader} log {Path} from byte {Offset}")]
    private static partial void LogFollowing(ILogger logger, string reader, string path, long offset);

    [LoggerMessage(601, LogLevel.Warning, "Cannot read {Path}: {Reason}; retrying every second")]
    private static partial void LogCannotRead(ILogger logger, string path, string reason);

    [LoggerMessage(602, LogLevel.Warning, "{Path}: skipped a line that could not be parsed ({Problem}): {Line}")]
    private static partial void LogUnparseable(ILogger logger, string path, string problem, string line);
}
