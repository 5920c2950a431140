using System.Runtime.InteropServices;
using DnsFp.Server.Index;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace DnsFp.Server.Lifecycle;

/// <summary>
/// Publishes the configured part of the listing policy, MaxAge and the excluded ranges: once before the listeners open (a file that cannot be read
/// then stops the start with a message naming it), then again whenever the exclusion file's time or size changes
/// (checked every second) and on SIGHUP. A reload that fails is logged once and the ranges in force stay as they were.
/// </summary>
internal sealed partial class ExclusionWatcher(IOptions<ListingOptions> options, IndexHolder index, IConnectionMultiplexer redis, IOptions<Folding.FoldOptions> fold, ILogger<ExclusionWatcher> logger) : BackgroundService
{
    private static readonly TimeSpan CheckEvery = TimeSpan.FromSeconds(1);

    private (DateTime Time, long Size) _fileStamp;
    private string? _lastProblem;
    private readonly SemaphoreSlim _hangup = new(0);

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        _fileStamp = Stamp();
        index.UpdatePolicy(p => p.WithMaxAge(options.Value.MaxAgeDays));
        Publish(ExclusionList.Load(options.Value));
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        using var sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context => { context.Cancel = true; _hangup.Release(); });
        while (!stop.IsCancellationRequested)
        {
            bool hangup;
            try { hangup = await _hangup.WaitAsync(CheckEvery, stop); }
            catch (OperationCanceledException) { return; }
            var stamp = Stamp();
            if (!hangup && stamp == _fileStamp) continue;
            _fileStamp = stamp;
            try
            {
                var before = index.Policy.Excluded;
                Publish(ExclusionList.Load(options.Value));
                _lastProblem = null;
                if (!before.Ranges.SequenceEqual(index.Policy.Excluded.Ranges)) await AnnounceAsync();
            }
            catch (Exception ex) when (ex is IOException or FormatException)
            {
                if (ex.Message != _lastProblem) LogReloadFailed(logger, ex.Message, index.Policy.Excluded.Ranges.Length);
                _lastProblem = ex.Message;
            }
        }
    }

    /// <summary>What DNS answers changed without any Redis write: a feed entry moves every server's zone serial.</summary>
    private async Task AnnounceAsync()
    {
        try { await Follower.ChangeFeed.AppendAsync(redis.GetDatabase(), Follower.ChangeFeed.Global, fold.Value.ChangeFeedAge, new NameValueEntry(Follower.ChangeFields.ExclusionsChanged, 1)); }
        catch (Exception ex) when (ex is RedisException or TimeoutException) { LogNotAnnounced(logger, ex.Message); }
    }

    private (DateTime, long) Stamp()
    {
        if (options.Value.ExcludeFile is not { Length: > 0 } path) return default;
        var info = new FileInfo(path);
        return info.Exists ? (info.LastWriteTimeUtc, info.Length) : default;
    }

    private void Publish(ExclusionList.Loaded loaded)
    {
        index.UpdatePolicy(p => p.WithExcluded(loaded.Ranges));
        LogLoaded(logger, loaded.Ranges.Ranges.Length, loaded.FromSettings, loaded.Reserved, loaded.FromFile, options.Value.ExcludeFile ?? "(none)");
    }

    [LoggerMessage(600, LogLevel.Information, "Exclusions in force: {Ranges} ranges ({Settings} from Listing:Exclude, {Reserved} reserved, {File} from {Path})")]
    private static partial void LogLoaded(ILogger logger, int ranges, int settings, int reserved, int file, string path);

    [LoggerMessage(601, LogLevel.Error, "Exclusions not reloaded: {Problem}; the {Ranges} ranges in force stay")]
    private static partial void LogReloadFailed(ILogger logger, string problem, int ranges);

    [LoggerMessage(713, LogLevel.Warning, "Exclusions changed but Redis is unreachable ({Reason}): the zone serial moves with the next change, so secondaries see the new exclusions only then")]
    private static partial void LogNotAnnounced(ILogger logger, string reason);
}
