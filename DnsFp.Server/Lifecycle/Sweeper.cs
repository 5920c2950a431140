using System.Buffers.Binary;
using System.Diagnostics;
using DnsFp.Contract;
using DnsFp.Server.Folding;
using DnsFp.Server.Follower;
using DnsFp.Server.Index;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace DnsFp.Server.Lifecycle;

/// <summary>
/// Reclaims Redis from listings that ended: expired (not observed for Listing:MaxAge) or excluded. Of all servers
/// sharing a Redis, the one holding the sweep lease sweeps; the others wait and take over where the cursor stands when
/// the lease lapses. Buckets are visited in groups, paced so one pass over all of them takes Listing:SweepPass: each
/// group is one pipelined HGETALL per bucket (≤ 128 small entries each) and one compare-and-delete script per bucket,
/// so no command blocks Redis for long. DNS does not wait for the sweep (the index decides expiry at query time); the
/// sweep only gives memory back, and removes what it deletes from every server's index through the change stream.
/// The lease holder also migrates layout 1 data once and ends delistings whose time is up.
/// </summary>
internal sealed partial class Sweeper(
    IConnectionMultiplexer redis, IndexHolder index, IOptions<ListingOptions> options, IOptions<FoldOptions> fold, Metrics.ServerMetrics metrics, TimeProvider time, ILogger<Sweeper> logger)
    : BackgroundService
{
    public static readonly TimeSpan LeaseTime = TimeSpan.FromSeconds(15);
    private const int GroupSize = 16;   // pipelined per group: small, so other clients never queue behind many sweep commands
    private static readonly TimeSpan DelistingCheck = TimeSpan.FromSeconds(30);

    /// <summary>This server in the lease: host, process and a random part, so two servers on one host differ.</summary>
    public string Name { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4))}";

    private bool _holding, _reportedDown;
    private long _passStarted, _lastDelistingCheck;
    private int _passRemoved, _passBuckets;

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        if (!options.Value.Sweep) { LogDisabled(logger); return; }
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var db = redis.GetDatabase();
                if (!await HoldLeaseAsync(db))
                {
                    if (_holding) LogLeaseLost(logger);
                    _holding = false;
                    await Task.Delay(LeaseTime / 3, time, stop);
                    continue;
                }
                if (!_holding) { LogLeaseTaken(logger, Name); _passStarted = 0; }
                _holding = true;
                _reportedDown = false;
                if (await Layout1Migration.IsNeededAsync(db)) await MigrateAsync(db, stop);
                await EndDelistingsAsync(db);
                await SweepGroupAsync(db, stop);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                if (!_reportedDown) LogRedisDown(logger, ex.Message);
                _reportedDown = true;
                _holding = false;
                try { await Task.Delay(TimeSpan.FromSeconds(1), time, stop); } catch (OperationCanceledException) { return; }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested) { return; }
        }
    }

    private async Task<bool> HoldLeaseAsync(IDatabase db) =>
        (int)await db.ScriptEvaluateAsync(SweepScript.Lease, [RedisKeys.SweepLease], [Name, (long)LeaseTime.TotalMilliseconds]) == 1;

    private async Task SweepGroupAsync(IDatabase db, CancellationToken stop)
    {
        var cursorValue = await db.StringGetAsync(RedisKeys.SweepCursor);
        int cursor = cursorValue.TryParse(out int c) && c is >= 0 and < AddressBuckets.TotalBuckets ? c : 0;
        var pass = options.Value.SweepPass;
        if (_passStarted == 0)
        {
            // taking over mid-pass: as if this pass had started long enough ago to be where the cursor is
            _passStarted = time.GetTimestamp() - (long)(pass.TotalSeconds * cursor / AddressBuckets.TotalBuckets * Stopwatch.Frequency);
        }

        var policy = index.Policy.With(ListingRecord.DayNumber(time.GetUtcNow()));
        int count = Math.Min(GroupSize, AddressBuckets.TotalBuckets - cursor);
        var reads = new Task<HashEntry[]>[count];
        for (int i = 0; i < count; i++) reads[i] = db.HashGetAllAsync(AddressBuckets.BucketKeyAt(cursor + i));
        // the lease is checked before the group (the scripts of a Cluster cannot check it beside a bucket); a
        // server that lost it meanwhile sweeps at most this group again, which compare-and-delete makes harmless
        if (!await HoldLeaseAsync(db)) { _holding = false; return; }
        var removals = new List<Task<RedisResult>>(count);
        for (int i = 0; i < count; i++)
        {
            int bucket = cursor + i;
            var args = new List<RedisValue> { (long)fold.Value.ChangeFeedAge.TotalMilliseconds };
            foreach (var e in await reads[i]) AddIfReclaimable(policy, bucket, e, args);
            if (args.Count == 1) continue;
            var feed = ChangeFeed.All[AddressBuckets.ShardOfBucket(bucket)];
            removals.Add(db.ScriptEvaluateAsync(SweepScript.Remove, [AddressBuckets.BucketKeyAt(bucket), feed.Stream, feed.Sequence], [.. args]));
        }
        foreach (var r in await Task.WhenAll(removals)) { _passRemoved += (int)r; metrics.Swept((long)r); }
        _passBuckets += count;
        int moved = (int)await db.ScriptEvaluateAsync(SweepScript.Advance, [RedisKeys.SweepCursor], [cursor, (cursor + count) % AddressBuckets.TotalBuckets]);
        if (moved == 0) { _holding = false; return; }                 // another sweeper moved the cursor: start over

        int next = cursor + count;
        if (next >= AddressBuckets.TotalBuckets)
        {
            LogPassDone(logger, _passBuckets, _passRemoved, time.GetElapsedTime(_passStarted).TotalSeconds);
            _passBuckets = _passRemoved = 0;
            _passStarted = time.GetTimestamp();
            next = 0;
        }
        // pace: the group after this one is due when its share of the pass has elapsed
        var due = TimeSpan.FromSeconds(pass.TotalSeconds * next / AddressBuckets.TotalBuckets);
        var wait = due - time.GetElapsedTime(_passStarted);
        while (wait > TimeSpan.Zero && !stop.IsCancellationRequested)
        {
            var step = wait < LeaseTime / 3 ? wait : LeaseTime / 3;
            await Task.Delay(step, time, stop);
            wait -= step;
            if (wait > TimeSpan.Zero && !await HoldLeaseAsync(db)) return;
        }
    }

    private static void AddIfReclaimable(ListingPolicy policy, int bucket, HashEntry e, List<RedisValue> args)
    {
        if (!e.Value.TryParse(out int record)) return;
        byte[] raw;
        if (bucket < AddressBuckets.V4BucketCount)
        {
            if (!e.Name.TryParse(out int field)) return;
            uint address = AddressBuckets.V4FromBucketField(bucket, field);
            if (!policy.IsReclaimable(address, record)) return;
            raw = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(raw, address);
        }
        else
        {
            raw = e.Name!;
            if (raw.Length != 16 || !policy.IsReclaimable(BinaryPrimitives.ReadUInt128BigEndian(raw), record)) return;
        }
        args.Add(e.Name); args.Add(e.Value); args.Add(raw);
    }

    /// <summary>Delistings whose time is up leave Redis, with an audit entry (DNS already dropped them on time).</summary>
    private async Task EndDelistingsAsync(IDatabase db)
    {
        if (_lastDelistingCheck != 0 && time.GetElapsedTime(_lastDelistingCheck) < DelistingCheck) return;
        _lastDelistingCheck = time.GetTimestamp();
        var now = time.GetUtcNow();
        foreach (var d in await DelistingStore.ReadAsync(db))
        {
            if (d.IsInForce(now)) continue;
            if (await DelistingStore.RemoveAsync(db, d.Range, now, options.Value.AuditRetention, "ended", "dnsfp-server", $"delisting by {d.User} ended"))
                LogDelistingEnded(logger, d.Range.ToString(), d.User);
        }
    }

    private async Task MigrateAsync(IDatabase db, CancellationToken stop)
    {
        var started = Stopwatch.GetTimestamp();
        int moved = await Layout1Migration.RunAsync(db, ListingRecord.DayNumber(time.GetUtcNow()), fold.Value.ChangeFeedAge, stop);
        if (moved == 0) LogNoLayout1(logger);
        else LogMigrated(logger, moved, Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    [LoggerMessage(700, LogLevel.Information, "Sweeping is disabled on this server (Listing:Sweep=false); another server must sweep expired listings out of Redis")]
    private static partial void LogDisabled(ILogger logger);

    [LoggerMessage(701, LogLevel.Information, "This server ({Name}) holds the sweep lease and sweeps expired and excluded listings out of Redis")]
    private static partial void LogLeaseTaken(ILogger logger, string name);

    [LoggerMessage(702, LogLevel.Information, "Another server took the sweep lease; this one stops sweeping")]
    private static partial void LogLeaseLost(ILogger logger);

    [LoggerMessage(703, LogLevel.Information, "Sweep pass done: {Buckets} buckets, {Removed} listings removed (expired or excluded) in {Seconds:F1} s")]
    private static partial void LogPassDone(ILogger logger, int buckets, int removed, double seconds);

    [LoggerMessage(704, LogLevel.Warning, "Sweeper: Redis unreachable ({Reason}); sweeping resumes when it is back (DNS still drops expired listings on time)")]
    private static partial void LogRedisDown(ILogger logger, string reason);

    [LoggerMessage(705, LogLevel.Information, "Delisting of {Range} (by {User}) ended")]
    private static partial void LogDelistingEnded(ILogger logger, string range, string user);

    [LoggerMessage(706, LogLevel.Information, "Redis layout 1 migrated to layout 2: {Listings} listings moved in {Seconds:F1} s (last seen = today)")]
    private static partial void LogMigrated(ILogger logger, int listings, double seconds);

    [LoggerMessage(707, LogLevel.Information, "Redis holds no layout 1 listings; marked as layout 2 (nothing to migrate)")]
    private static partial void LogNoLayout1(ILogger logger);
}
