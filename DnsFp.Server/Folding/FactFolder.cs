using DnsFp.Contract;
using DnsFp.Server.Index;
using DnsFp.Server.Lifecycle;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace DnsFp.Server.Folding;

/// <summary>
/// Reads agents' facts from the facts stream as a member of a consumer group (so several servers share the work,
/// each fact folded by one of them), folds each with <see cref="FoldScript"/>, then acknowledges and deletes it.
/// A crash between fold and ack replays the fact, which the script makes harmless. Facts about excluded addresses
/// (Listing:Exclude) are acknowledged and dropped: not stored, not counted. Which agent hosts sent which kinds of
/// fact is kept per host, not per address (<see cref="RedisKeys.Agents"/>).
/// </summary>
internal sealed partial class FactFolder(IConnectionMultiplexer redis, IOptions<FoldOptions> options, IndexHolder index, TimeProvider time, ILogger<FactFolder> logger) : BackgroundService
{
    /// <summary>A batch that takes longer than this is abandoned and read again (its facts fold once anyway).</summary>
    private static readonly TimeSpan RoundTripLimit = TimeSpan.FromSeconds(30);

    // An idle fold asks for new facts this often: a write is folded within it (cheap: one XREADGROUP on an empty stream).
    private static readonly TimeSpan IdlePoll = TimeSpan.FromMilliseconds(10);
    // Facts another server claimed but left unacknowledged (it died) are taken over this often.
    private static readonly TimeSpan ClaimEvery = TimeSpan.FromSeconds(1);
    private long _lastClaim;

    private readonly FoldOptions _options = options.Value;
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

    private async Task FoldUntilErrorAsync(CancellationToken stop)
    {
        var db = redis.GetDatabase();
        await EnsureGroupAsync(db);
        RedisValue position = "0";                                // our own pending entries first (a crash left them unacked)
        while (!stop.IsCancellationRequested)
        {
            var entries = await db.StreamReadGroupAsync(RedisKeys.Facts, RedisKeys.FoldGroup, _consumer, position, _options.BatchSize);
            if (entries.Length == 0)
            {
                if (position != StreamPosition.NewMessages) { position = StreamPosition.NewMessages; continue; }
                if (time.GetElapsedTime(_lastClaim) >= ClaimEvery) { await ClaimAbandonedAsync(db); _lastClaim = time.GetTimestamp(); }
                await Task.Delay(IdlePoll, stop);
                continue;
            }
            await FoldBatchAsync(db, entries);
            // followers (this server's and the others') read the change stream now rather than at their next poll
            await db.PublishAsync(RedisChannel.Literal(RedisKeys.ChangesChannel), 1, CommandFlags.FireAndForget);
        }
    }

    private async Task FoldBatchAsync(IDatabase db, StreamEntry[] entries)
    {
        // Plain async calls: the multiplexer pipelines them. (An IBatch built while the connection is being
        // re-established can be left unsent, and its tasks never complete; the timeout below guards the rest.)
        var keys = new List<RedisKey>(entries.Length * FoldScript.KeysPerFact);
        var args = new List<RedisValue>(entries.Length * FoldScript.ArgsPerFact);
        var folds = new List<Task<RedisResult>>();
        void Flush()
        {
            if (keys.Count == 0) return;
            folds.Add(db.ScriptEvaluateAsync(FoldScript.BatchLua, [.. keys], [.. args]));
            keys.Clear(); args.Clear();
        }
        var excluded = index.Policy.Excluded;
        var agents = new Dictionary<string, long>(StringComparer.Ordinal);
        int skipped = 0;
        var now = time.GetUtcNow();
        foreach (var entry in entries)
        {
            if (entry.IsNull || entry.Values is null || entry.Values.Length == 0) continue;     // deleted while pending
            var fact = Fact.FromStreamEntry(entry.Values, out string? problem);
            if (fact is null) { LogBadFact(logger, entry.Id.ToString(), problem ?? "unreadable"); continue; }
            if (fact.Host.Length > 0)
            {
                string agent = fact.Host + "\t" + SourceName(fact);
                agents[agent] = Math.Max(agents.GetValueOrDefault(agent), fact.Time);
            }
            if (excluded.Contains(fact.Address)) { skipped++; continue; }
            keys.AddRange(KeysFor(fact, now));
            args.AddRange(ArgsFor(fact, now));
            if (keys.Count >= FactsPerScript * FoldScript.KeysPerFact) Flush();
        }
        Flush();
        var results = (await Task.WhenAll(folds).WaitAsync(RoundTripLimit)).SelectMany(r => (RedisResult[])r!).ToArray();
        if (agents.Count > 0)
            await db.HashSetAsync(RedisKeys.Agents, [.. agents.Select(a => new HashEntry(a.Key, a.Value))]);
        if (results.Any(r => (int)r == 3)) LogLabelsFull(logger, ListingRecord.MaxLabelId);
        if (skipped > 0) LogExcluded(logger, skipped);
        if (results.Any(r => (int)r == 2))
            await db.StreamAddAsync(RedisKeys.Changes, "c", 1, maxLength: _options.ChangeStreamLength, useApproximateMaxLength: true);
        var ids = entries.Select(e => e.Id).ToArray();
        await db.StreamAcknowledgeAsync(RedisKeys.Facts, RedisKeys.FoldGroup, ids);
        await db.StreamDeleteAsync(RedisKeys.Facts, ids);
        LogFolded(logger, entries.Length, results.Count(r => (int)r == 1), results.Count(r => (int)r == 2));
    }

    /// <summary>
    /// Facts per script call: one call is one round trip and one script start for all of them, yet short enough that
    /// Redis never runs one for more than about a millisecond, so other clients are not held up.
    /// </summary>
    private const int FactsPerScript = 100;

    /// <summary>How <see cref="RedisKeys.Agents"/> and lookup name the source of a fact.</summary>
    public static string SourceName(Fact fact) => fact.Kind != FactKind.Observation ? "verdicts" : SourceNames.Of(fact.Source);

    private static RedisKey[] KeysFor(Fact fact, DateTimeOffset now)
    {
        var day = DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(fact.Time, 0, 253402300799)).UtcDateTime);
        var foldDay = DateOnly.FromDateTime(now.UtcDateTime);
        return [AddressBuckets.KeyFor(fact.Address), RedisKeys.LabelIds, RedisKeys.LabelNames, RedisKeys.LabelNextId,
            RedisKeys.Counts(day), RedisKeys.SeenVerdicts(foldDay), RedisKeys.Changes, RedisKeys.SeenVerdicts(foldDay.AddDays(-1))];
    }

    private RedisValue[] ArgsFor(Fact fact, DateTimeOffset now)
    {
        int today = ListingRecord.DayNumber(now);
        // the fact's own day, so imported old observations get their old last-seen day; never later than today
        int day = Math.Min(today, ListingRecord.DayNumber(DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(fact.Time, 0, 253402300799))));
        return
        [
            fact.KindCode,
            fact.Id, AddressBuckets.FieldFor(fact.Address), fact.Label, fact.Class,
            (long)TimeSpan.FromDays(_options.RetentionDays).TotalSeconds, _options.ChangeStreamLength, OsLabel.Unknown,
            (long)TimeSpan.FromDays(3).TotalSeconds,
            fact.Address.GetAddressBytes(), day, (int)fact.Source, today,
        ];
    }

    private static async Task EnsureGroupAsync(IDatabase db)
    {
        try
        {
            await db.StreamCreateConsumerGroupAsync(RedisKeys.Facts, RedisKeys.FoldGroup, "0", createStream: true);
        }
        catch (RedisServerException ex) when (ex.Message.Contains("BUSYGROUP", StringComparison.Ordinal)) { }
    }

    /// <summary>Takes over facts another folder read but never acknowledged (it died), after a minute.</summary>
    private async Task ClaimAbandonedAsync(IDatabase db)
    {
        var claimed = await db.StreamAutoClaimAsync(RedisKeys.Facts, RedisKeys.FoldGroup, _consumer, 60_000, "0-0", _options.BatchSize);
        if (claimed.ClaimedEntries.Length > 0) await FoldBatchAsync(db, claimed.ClaimedEntries);
    }

    [LoggerMessage(100, LogLevel.Information, "Folding is disabled on this server (Fold:Enabled=false); another server must fold the agents' facts")]
    private static partial void LogDisabled(ILogger logger);

    [LoggerMessage(101, LogLevel.Warning, "Fact folder: Redis unreachable ({Reason}); agents' facts wait in Redis or in their spools until it is back")]
    private static partial void LogRedisDown(ILogger logger, string reason);

    [LoggerMessage(102, LogLevel.Information, "Fact folder: Redis is back, folding again")]
    private static partial void LogRedisBack(ILogger logger);

    [LoggerMessage(103, LogLevel.Warning, "Fact {StreamId} is malformed and was skipped: {Problem}")]
    private static partial void LogBadFact(ILogger logger, string streamId, string problem);

    [LoggerMessage(105, LogLevel.Error, "Fact folder: the label table is full ({Max} labels); observations with new labels are not stored. Delete unused labels or report this.")]
    private static partial void LogLabelsFull(ILogger logger, int max);

    [LoggerMessage(106, LogLevel.Debug, "Fact folder: {Facts} facts about excluded addresses dropped (Listing:Exclude)")]
    private static partial void LogExcluded(ILogger logger, int facts);

    [LoggerMessage(104, LogLevel.Debug, "Folded {Facts} facts: {Addresses} address changes, {Verdicts} verdicts counted")]
    private static partial void LogFolded(ILogger logger, int facts, int addresses, int verdicts);
}
