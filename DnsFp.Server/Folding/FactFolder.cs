using DnsFp.Contract;
using DnsFp.Server.Follower;
using DnsFp.Server.Index;
using DnsFp.Server.Lifecycle;
using DnsFp.Server.Sharding;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace DnsFp.Server.Folding;

/// <summary>
/// Reads agents' facts from the facts streams (64 shards, and the one of older agents) as a member of a consumer group (so several servers share the work,
/// each fact folded by one of them), folds each with <see cref="FoldScript"/>, then acknowledges and deletes it.
/// A crash between fold and ack replays the fact, which the script makes harmless. Facts about excluded addresses
/// (Listing:Exclude) are acknowledged and dropped: not stored, not counted. Which agent hosts sent which kinds of
/// fact is kept per host, not per address (<see cref="RedisKeys.Agents"/>).
/// </summary>
internal sealed partial class FactFolder(IConnectionMultiplexer redis, IOptions<FoldOptions> options, IndexHolder index, Metrics.ServerMetrics metrics, TimeProvider time, ILogger<FactFolder> logger) : BackgroundService
{
    /// <summary>A batch that takes longer than this is abandoned and read again (its facts fold once anyway).</summary>
    private static readonly TimeSpan RoundTripLimit = TimeSpan.FromSeconds(30);

    // An idle fold asks for new facts this often: a write is folded within it (cheap: one XREADGROUP on an empty stream).
    private static readonly TimeSpan IdlePoll = TimeSpan.FromMilliseconds(10);
    // On a Redis Cluster a poll is one XREADGROUP per stream (65), not one: after a quiet second the fold polls five
    // times less often, so an idle server sends about 1,300 commands/s rather than 6,500; the first fact after a
    // quiet spell then waits up to 50 ms, the ones behind it are read at the busy pace.
    private static readonly TimeSpan QuietClusterPoll = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan QuietAfter = TimeSpan.FromSeconds(1);
    private long _lastFolded;
    // Facts another server claimed but left unacknowledged (it died) are taken over this often.
    private static readonly TimeSpan ClaimEvery = TimeSpan.FromSeconds(1);
    private long _lastClaim;

    private readonly FoldOptions _options = options.Value;
    private readonly LabelIds _labels = new();
    private readonly string _consumer = options.Value.ConsumerName ?? Environment.MachineName;

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        if (!_options.Enabled) { LogDisabled(logger); return; }
        bool down = false;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await FoldUntilErrorAsync(stop);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException or RedisTimeoutException)
            {
                if (!down) LogRedisDown(logger, ex.Message);
                down = true;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested) { return; }
            try { await Task.Delay(TimeSpan.FromSeconds(1), stop); } catch (OperationCanceledException) { return; }
            if (down && redis.IsConnected) { down = false; LogRedisBack(logger); }
        }
    }

    /// <summary><see cref="RedisKeys.AllFacts"/> as keys: the 64 shard streams, then the unsharded stream of older agents.</summary>
    private static readonly RedisKey[] Streams = [.. RedisKeys.AllFacts.Select(s => (RedisKey)s)];

    private async Task FoldUntilErrorAsync(CancellationToken stop)
    {
        var db = redis.GetDatabase();
        _labels.Clear();                                          // Redis may be back with other data
        await EnsureGroupsAsync(db);
        RedisValue position = "0";                                // our own pending entries first (a crash left them unacked)
        while (!stop.IsCancellationRequested)
        {
            var read = await StreamSet.ReadGroupAsync(redis, db, Streams, position, RedisKeys.FoldGroup, _consumer, _options.BatchSize);
            if (read.All(r => r.Length == 0))
            {
                if (position != StreamPosition.NewMessages) { position = StreamPosition.NewMessages; continue; }
                if (time.GetElapsedTime(_lastClaim) >= ClaimEvery)
                {
                    await ClaimAbandonedAsync(db);
                    await ChangeFeed.TrimAsync(db, _options.ChangeFeedAge);          // an idle feed empties too
                    _lastClaim = time.GetTimestamp();
                    // Our own pending entries again: after a failover the promoted replica can hold entries this
                    // server read from the old primary (the read was replicated) whose fold was lost with it, and a
                    // client that follows the switch without an error would never read them again with ">".
                    position = "0";
                    continue;
                }
                bool quiet = time.GetElapsedTime(_lastFolded) > QuietAfter && StreamSet.IsCluster(redis);
                await Task.Delay(quiet ? QuietClusterPoll : IdlePoll, stop);
                continue;
            }
            await FoldBatchAsync(db, read);
            _lastFolded = time.GetTimestamp();
            // followers (this server's and the others') read the change feeds now rather than at their next poll
            await db.PublishAsync(RedisChannel.Literal(RedisKeys.ChangesChannel), 1, CommandFlags.FireAndForget);
        }
    }

    /// <summary>Folds what one read returned (entry i of <paramref name="read"/> from stream i of <see cref="Streams"/>), then acknowledges and deletes it.</summary>
    private async Task FoldBatchAsync(IDatabase db, StreamEntry[][] read)
    {
        var facts = new List<Fact>();
        foreach (var entry in read.SelectMany(r => r))
        {
            if (entry.IsNull || entry.Values is null || entry.Values.Length == 0) continue;     // deleted while pending
            int bad = FactStreamEntry.Read(entry.Values, facts, out string? problem);
            if (bad > 0) LogBadFact(logger, entry.Id.ToString(), bad, problem ?? "unreadable");
        }
        var excluded = index.Policy.Excluded;
        var agents = new Dictionary<string, long>(StringComparer.Ordinal);
        int skipped = 0;
        // by shard, so each script call touches the keys of one shard only (one slot of a Redis Cluster); in
        // stream order within a shard, so facts about one address fold in the order they were written
        var byShard = new List<Fact>?[AddressBuckets.ShardCount];
        foreach (var fact in facts)
        {
            if (fact.Host.Length > 0)
            {
                string agent = fact.Host + "\t" + SourceName(fact);
                agents[agent] = Math.Max(agents.GetValueOrDefault(agent), fact.Time);
            }
            if (excluded.Contains(fact.Address)) { skipped++; continue; }
            (byShard[AddressBuckets.ShardOf(fact.Address)] ??= []).Add(fact);
        }
        var now = time.GetUtcNow();
        var labelsNeeded = byShard.SelectMany(k => k ?? []).Where(f => f.Kind == FactKind.Observation).Select(f => (f.Label, f.Class)).Append((OsLabel.Unknown, OsLabel.Unknown));
        if (!await _labels.ResolveAsync(db, labelsNeeded))
        {
            // the label table is full: observations with a label that got no id are not stored (id 0 means removed)
            LogLabelsFull(logger, ListingRecord.MaxLabelId);
            foreach (var kept in byShard) kept?.RemoveAll(f => f.Kind == FactKind.Observation && _labels.Of(f.Label) == 0);
        }

        // Plain async calls: the multiplexer pipelines them. (An IBatch built while the connection is being
        // re-established can be left unsent, and its tasks never complete; the timeout below guards the rest.)
        var folds = new List<Task<RedisResult>>();
        for (int shard = 0; shard < byShard.Length; shard++)
        {
            var kept = byShard[shard];
            if (kept is null) continue;
            for (int start = 0; start < kept.Count; start += FactsPerScript)
                folds.Add(FoldAsync(db, shard, kept.GetRange(start, Math.Min(FactsPerScript, kept.Count - start)), now));
        }
        var results = await Task.WhenAll(folds).WaitAsync(RoundTripLimit);
        if (agents.Count > 0)
            await db.HashSetAsync(RedisKeys.Agents, [.. agents.Select(a => new HashEntry(a.Key, a.Value))]);
        if (skipped > 0) LogExcluded(logger, skipped);
        var done = new List<Task>();
        for (int i = 0; i < Streams.Length; i++)
        {
            if (read[i].Length == 0) continue;
            var ids = read[i].Select(e => e.Id).ToArray();
            done.Add(db.StreamAcknowledgeAsync(Streams[i], RedisKeys.FoldGroup, ids));
            done.Add(db.StreamDeleteAsync(Streams[i], ids));
        }
        await Task.WhenAll(done);
        long changed = results.Sum(r => (long)((RedisResult[])r!)[0]), counted = results.Sum(r => (long)((RedisResult[])r!)[1]);
        LogFolded(logger, facts.Count, changed, counted);
        metrics.Folded(facts.Count);
        long nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var entry in read.SelectMany(r => r))
            if (Metrics.ServerMetrics.StreamIdMilliseconds(entry.Id) is { } appended) metrics.FactFolded(appended, nowMs);
    }

    /// <summary>
    /// Facts per script call: one call is one round trip and one script start for all of them, yet short enough that
    /// Redis never runs one for more than about a millisecond, so other clients are not held up.
    /// </summary>
    private const int FactsPerScript = 250;

    /// <summary>One <see cref="FoldScript"/> call for up to <see cref="FactsPerScript"/> facts of one shard.</summary>
    private Task<RedisResult> FoldAsync(IDatabase db, int shard, List<Fact> facts, DateTimeOffset now)
    {
        int today = ListingRecord.DayNumber(now);
        var foldDay = DateOnly.FromDateTime(now.UtcDateTime);
        var countDays = new List<DateOnly>();
        var args = new RedisValue[FoldScript.FixedArgs + facts.Count * FoldScript.ArgsPerFact];
        int a = FoldScript.FixedArgs;
        var buckets = new RedisKey[facts.Count];
        for (int i = 0; i < facts.Count; i++)
        {
            var fact = facts[i];
            buckets[i] = AddressBuckets.KeyFor(fact.Address);
            args[a++] = fact.KindCode;
            args[a++] = AddressBuckets.FieldFor(fact.Address);
            long seconds = Math.Clamp(fact.Time, 0, 253402300799);
            if (fact.Kind == FactKind.Observation)
            {
                // the fact's own day, so imported old observations get their old last-seen day; never later than today
                args[a++] = _labels.Of(fact.Label);
                args[a++] = Math.Min(today, ListingRecord.DayNumber(DateTimeOffset.FromUnixTimeSeconds(seconds)));
                args[a++] = (int)fact.Source & ListingRecord.StoredSources;   // a probe: 0 (ListingRecord.Observe)
                args[a++] = fact.Address.GetAddressBytes();
            }
            else
            {
                var day = DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime);
                int dayIndex = countDays.IndexOf(day);
                if (dayIndex < 0) { countDays.Add(day); dayIndex = countDays.Count - 1; }
                args[a++] = fact.Id;
                args[a++] = dayIndex + 1;
                args[a++] = RedisValue.EmptyString;
                args[a++] = RedisValue.EmptyString;
            }
        }
        var keys = new RedisKey[FoldScript.FixedKeys + countDays.Count + facts.Count];
        var feed = ChangeFeed.All[shard];
        keys[0] = feed.Stream; keys[1] = feed.Sequence;
        keys[2] = RedisKeys.SeenVerdicts(shard, foldDay); keys[3] = RedisKeys.SeenVerdicts(shard, foldDay.AddDays(-1));
        for (int d = 0; d < countDays.Count; d++) keys[FoldScript.FixedKeys + d] = RedisKeys.Counts(shard, countDays[d]);
        buckets.CopyTo(keys, FoldScript.FixedKeys + countDays.Count);
        args[0] = countDays.Count;
        args[1] = (long)_options.ChangeFeedAge.TotalMilliseconds;
        args[2] = (long)TimeSpan.FromDays(3).TotalSeconds;
        args[3] = (long)TimeSpan.FromDays(_options.RetentionDays).TotalSeconds;
        args[4] = today;
        args[5] = _labels.Of(OsLabel.Unknown);
        return db.ScriptEvaluateAsync(FoldScript.BatchLua, keys, args);
    }

    /// <summary>How <see cref="RedisKeys.Agents"/> and lookup name the source of a fact.</summary>
    public static string SourceName(Fact fact) => fact.Kind != FactKind.Observation ? "verdicts" : SourceNames.Of(fact.Source);

    private static async Task EnsureGroupsAsync(IDatabase db)
    {
        await Task.WhenAll(Streams.Select(async stream =>
        {
            try { await db.StreamCreateConsumerGroupAsync(stream, RedisKeys.FoldGroup, "0", createStream: true); }
            catch (RedisServerException ex) when (ex.Message.Contains("BUSYGROUP", StringComparison.Ordinal)) { }
        }));
    }

    /// <summary>Takes over facts another folder read but never acknowledged (it died), after a minute.</summary>
    private async Task ClaimAbandonedAsync(IDatabase db)
    {
        var claims = await Task.WhenAll(Streams.Select(s => db.StreamAutoClaimAsync(s, RedisKeys.FoldGroup, _consumer, 60_000, "0-0", _options.BatchSize)));
        if (claims.Any(c => c.ClaimedEntries.Length > 0)) await FoldBatchAsync(db, [.. claims.Select(c => c.ClaimedEntries)]);
    }

    [LoggerMessage(100, LogLevel.Information, "Folding is disabled on this server (Fold:Enabled=false); another server must fold the agents' facts")]
    private static partial void LogDisabled(ILogger logger);

    [LoggerMessage(101, LogLevel.Warning, "Fact folder: Redis unreachable ({Reason}); agents' facts wait in Redis or in their spools until it is back")]
    private static partial void LogRedisDown(ILogger logger, string reason);

    [LoggerMessage(102, LogLevel.Information, "Fact folder: Redis is back, folding again")]
    private static partial void LogRedisBack(ILogger logger);

    [LoggerMessage(103, LogLevel.Warning, "Stream entry {StreamId}: {Count} malformed facts skipped ({Problem})")]
    private static partial void LogBadFact(ILogger logger, string streamId, int count, string problem);

    [LoggerMessage(105, LogLevel.Error, "Fact folder: the label table is full ({Max} labels); observations with new labels are not stored. Delete unused labels or report this.")]
    private static partial void LogLabelsFull(ILogger logger, int max);

    [LoggerMessage(106, LogLevel.Debug, "Fact folder: {Facts} facts about excluded addresses dropped (Listing:Exclude)")]
    private static partial void LogExcluded(ILogger logger, int facts);

    [LoggerMessage(104, LogLevel.Debug, "Folded {Facts} facts: {Addresses} address changes, {Verdicts} verdicts counted")]
    private static partial void LogFolded(ILogger logger, int facts, long addresses, long verdicts);
}
