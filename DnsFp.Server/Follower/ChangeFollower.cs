using System.Buffers.Binary;
using System.Diagnostics;
using DnsFp.Contract;
using DnsFp.Server.Bands;
using DnsFp.Server.Index;
using DnsFp.Server.Lifecycle;
using DnsFp.Server.Ratings;
using DnsFp.Server.Sharding;
using DnsFp.Server.Zones;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace DnsFp.Server.Follower;

/// <summary>
/// Keeps the in-memory index current: a full load when Redis first answers (and after every outage), then the
/// change stream every <see cref="PollInterval"/>, so a folded fact is in DNS well within a second. Ratings are
/// rebuilt when verdicts or labels change, and every minute so the window slides. When Redis goes away the index
/// stays as it is and DNS keeps answering from it; that is logged once, and once again when Redis is back.
/// It also keeps the listing policy current: today's day (expiry turns at 00:00 UTC without any Redis traffic), and
/// the delistings in force (reloaded when the stream says they changed, dropped from DNS the moment they end).
/// </summary>
internal sealed partial class ChangeFollower(
    IConnectionMultiplexer redis, IndexHolder index, ZoneSet zones, IOptions<BandOptions> bands, Metrics.ServerMetrics metrics, Metrics.ServerHealth health, TimeProvider time, ILogger<ChangeFollower> logger) : BackgroundService
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan RatingRefresh = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan SubscribeRetry = TimeSpan.FromSeconds(5);
    private bool _loaded, _reportedDown, _subscribed, _reportedNoNotices;
    private long _lastSubscribeAttempt;
    private readonly SemaphoreSlim _wake = new(0, 1);
    private static readonly RedisKey[] FeedStreams = [.. ChangeFeed.All.Select(f => f.Stream)];
    // per feed (ChangeFeed.All): the last entry read, and its sequence number (-1: not known, a feed of older servers)
    private readonly RedisValue[] _lastChange = [.. ChangeFeed.All.Select(_ => (RedisValue)"0-0")];
    private readonly long[] _lastSequence = [.. ChangeFeed.All.Select(_ => -1L)];

    /// <summary>The zone serial's term (Zones/ZoneSerial.cs): the sum of the sequence numbers read from every feed.</summary>
    private long SequenceRead => _lastSequence.Sum(s => Math.Max(0, s));
    private long _lastRatingsAt;
    private DateTimeOffset _nextDelistingEnd = DateTimeOffset.MaxValue;

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var db = redis.GetDatabase();
                if (!_loaded) await LoadAllAsync(db, stop);
                if (!_subscribed) await SubscribeAsync();
                bool busy = await ApplyChangesAsync(db);
                if (!busy && _loaded) health.IndexInSync();
                RefreshPolicyClock();
                if (!busy && _appliedSinceCompaction > BulkChanges && time.GetElapsedTime(_lastAppliedAt) > QuietBeforeCompaction) ReturnMemory();
                if (!busy) await _wake.WaitAsync(PollInterval, stop);          // a fold's notice wakes us early
                continue;
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                if (!_reportedDown)
                    LogRedisDown(logger, RedisConnection.Describe(redis.Configuration), index.Addresses.Count, index.Labels.Count, ex.Message);
                _reportedDown = true;
                _loaded = false;                                 // Redis may come back with other data: reload then
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested) { return; }
            try { await Task.Delay(RetryDelay, time, stop); } catch (OperationCanceledException) { return; }
        }
    }

    /// <summary>
    /// Listens for the fold's notices (<see cref="RedisKeys.ChangesChannel"/>) so a change is read within
    /// milliseconds; without them (a Redis user with no channel rights) the poll still finds it within PollInterval.
    /// </summary>
    private async Task SubscribeAsync()
    {
        if (_lastSubscribeAttempt != 0 && time.GetElapsedTime(_lastSubscribeAttempt) < SubscribeRetry) return;
        _lastSubscribeAttempt = time.GetTimestamp();
        try
        {
            await redis.GetSubscriber().SubscribeAsync(RedisChannel.Literal(RedisKeys.ChangesChannel), (_, _) =>
            {
                if (_wake.CurrentCount == 0) { try { _wake.Release(); } catch (SemaphoreFullException) { } }
            });
            _subscribed = true;
        }
        catch (RedisException ex)
        {
            // no channel right: say so once; a subscription connection still coming up: just try again later
            if (ex.Message.Contains("NOPERM", StringComparison.Ordinal) && !_reportedNoNotices) LogNoNotices(logger, ex.Message, PollInterval.TotalMilliseconds);
            _reportedNoNotices |= ex.Message.Contains("NOPERM", StringComparison.Ordinal);
        }
    }

    private async Task LoadAllAsync(IDatabase db, CancellationToken stop)
    {
        var started = Stopwatch.GetTimestamp();
        // Remember where each change feed is before reading the data: changes made during the load are applied
        // again afterwards, which is harmless (they set the same values).
        var lastEntries = await Task.WhenAll(ChangeFeed.All.Select(f => db.StreamRangeAsync(f.Stream, "-", "+", 1, Order.Descending)));
        var counters = await Task.WhenAll(ChangeFeed.All.Select(f => db.StringGetAsync(f.Sequence)));
        for (int f = 0; f < lastEntries.Length; f++)
        {
            var last = lastEntries[f];
            _lastChange[f] = last.Length > 0 ? last[0].Id : "0-0";
            // the sequence number this load is current to: the last entry's, or (an empty feed) the counter's
            var sequence = last.Length > 0 ? last[0][ChangeFeed.SequenceField] : counters[f];
            _lastSequence[f] = sequence.TryParse(out long s) ? s : sequence.IsNull ? 0 : -1;
        }
        var (addresses, largest, largestCount) = await IndexLoader.LoadAsync(db, stop);
        await CheckEncodingAsync(db, largest, largestCount);
        await RefreshRatingsAsync(db);
        await ReloadDelistingsAsync(db);
        lock (index.Writer)
        {
            index.Publish(addresses);
            zones.PublishSerials(SequenceRead, index.Policy.Today);
        }
        _loaded = true;
        health.IndexInSync();
        ReturnMemory();
        var elapsed = Stopwatch.GetElapsedTime(started);
        if (_reportedDown) LogRedisBack(logger, addresses.Count, index.Labels.Count, elapsed.TotalMilliseconds);
        else
        {
            var (bytes, v4, v6) = addresses.Size;
            LogLoaded(logger, addresses.Count, index.Labels.Count, elapsed.TotalMilliseconds, v4, v6, bytes / 1048576.0);
        }
        _reportedDown = false;
    }

    /// <summary>Changes after which the follower, once the feed is quiet, gives the memory of the merges back (a bulk import).</summary>
    private const int BulkChanges = 100_000;
    private static readonly TimeSpan QuietBeforeCompaction = TimeSpan.FromSeconds(1);
    private long _appliedSinceCompaction, _lastAppliedAt;

    /// <summary>
    /// A full load or a bulk of changes leaves hundreds of MB of replaced tables and Redis replies behind; give them
    /// back to the OS once, rather than carrying them for the server's lifetime.
    /// </summary>
    /// <summary>
    /// Redis keeps a small hash as a listpack (about 13 B per listing) and turns it into a hashtable (about 5 times
    /// that) once it holds more than hash-max-listpack-entries (default 128). The buckets reach that at about 4.7M
    /// listings; the server cannot change Redis' configuration (its ACL denies CONFIG, rightly), so it says what to set.
    /// </summary>
    private async Task CheckEncodingAsync(IDatabase db, int bucket, int count)
    {
        if (_reportedEncoding || count <= 64) return;
        var encoding = await db.ExecuteAsync("OBJECT", "ENCODING", AddressBuckets.BucketKeyAt(bucket));
        if ((string?)encoding != "hashtable") return;
        _reportedEncoding = true;
        LogHashtableBuckets(logger, AddressBuckets.BucketKeyAt(bucket), count, Math.Max(1024, count * 2));
    }

    private bool _reportedEncoding;

    private void ReturnMemory()
    {
        _appliedSinceCompaction = 0;
        System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }

    /// <summary>Applies one read of the change feeds; true when there may be more waiting.</summary>
    private async Task<bool> ApplyChangesAsync(IDatabase db)
    {
        const int Count = 2_000;                                  // one XREAD of 10,000 entries took 6 ms in Redis (bench/sweep.sh)
        var read = await StreamSet.ReadAsync(redis, db, FeedStreams, _lastChange, Count);
        bool ratingsChanged = false, delistingsChanged = false;
        var addresses = index.Addresses;
        long nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        lock (index.Writer)                                       // a transfer's snapshot sees whole reads
        {
            for (int f = 0; f < read.Length; f++)
            {
                foreach (var entry in read[f])
                {
                    _lastChange[f] = entry.Id;
                    if (Metrics.ServerMetrics.StreamIdMilliseconds(entry.Id) is { } written) metrics.ChangeApplied(written, nowMs);
                    RedisValue ip = RedisValue.Null, value = RedisValue.Null;
                    foreach (var v in entry.Values)
                    {
                        switch ((string?)v.Name)
                        {
                            case ChangeFeed.SequenceField:
                                if (!FollowsOn(f, v.Value)) { _loaded = false; return false; }      // entries were trimmed unread
                                break;
                            case ChangeFields.Packed4: ratingsChanged |= ApplyPacked(addresses, v.Value, 4); break;
                            case ChangeFields.Packed6: ratingsChanged |= ApplyPacked(addresses, v.Value, 16); break;
                            case ChangeFields.Address: ip = v.Value; break;
                            case ChangeFields.Record: value = v.Value; break;
                            case ChangeFields.NewLabel or ChangeFields.VerdictCounted: ratingsChanged = true; break;
                            case DelistingStore.ChangedField: delistingsChanged = true; break;
                        }
                    }
                    if (ip.IsNull || !value.TryParse(out int record)) continue;
                    ratingsChanged |= Apply(addresses, (byte[])ip!, record);
                }
            }
            zones.PublishSerials(SequenceRead, index.Policy.Today);
        }
        if (delistingsChanged) await ReloadDelistingsAsync(db);
        if (ratingsChanged || time.GetElapsedTime(_lastRatingsAt) > RatingRefresh) await RefreshRatingsAsync(db);
        return read.Any(r => r.Length == Count);
    }

    /// <summary>
    /// Whether an entry's sequence number follows the last one seen in its feed. A jump means entries this server never
    /// read were trimmed (it fell further behind than Fold:ChangeFeedAge) or erased (a forget): it reloads the index
    /// instead. So does a number that goes back: the feed was reset (a Redis that came back empty, or a failover that
    /// lost the primary's last writes), and the index may hold changes Redis no longer has.
    /// </summary>
    private bool FollowsOn(int feed, RedisValue sequenceValue)
    {
        if (!sequenceValue.TryParse(out long sequence)) return true;
        long last = _lastSequence[feed];
        if (last >= 0 && sequence > last + 1)
        {
            LogFellBehind(logger, sequence - last - 1);
            return false;
        }
        if (last >= 0 && sequence <= last)
        {
            LogFeedWentBack(logger, (string)FeedStreams[feed]!, last, sequence);
            return false;
        }
        _lastSequence[feed] = sequence;
        return true;
    }

    /// <summary>Applies packed changes (address bytes then a big-endian record); true when a label is new to the index.</summary>
    private bool ApplyPacked(AddressIndex addresses, RedisValue packed, int addressLength)
    {
        ReadOnlyMemory<byte> bytes = packed;
        var changes = new PackedChanges(bytes.Span, addressLength);
        bool newLabel = false;
        _appliedSinceCompaction += changes.Count;
        _lastAppliedAt = time.GetTimestamp();
        foreach (var change in changes)
        {
            if (addressLength == 4) addresses.Set(BinaryPrimitives.ReadUInt32BigEndian(change.Address), change.Record);
            else addresses.Set(BinaryPrimitives.ReadUInt128BigEndian(change.Address), change.Record);
            newLabel |= change.Record != AddressIndex.Removed && !index.Labels.Knows(ListingRecord.LabelOf(change.Record));
        }
        return newLabel;
    }

    private bool Apply(AddressIndex addresses, byte[] field, int record)
    {
        if (field.Length == 4) addresses.Set(BinaryPrimitives.ReadUInt32BigEndian(field), record);
        else if (field.Length == 16) addresses.Set(BinaryPrimitives.ReadUInt128BigEndian(field), record);
        return record != AddressIndex.Removed && !index.Labels.Knows(ListingRecord.LabelOf(record));
    }

    private async Task ReloadDelistingsAsync(IDatabase db) => PublishDelistings(await DelistingStore.ReadInForceAsync(db, time.GetUtcNow()));

    private void PublishDelistings(List<Delisting> inForce)
    {
        index.UpdatePolicy(p => p.WithDelistings(inForce));
        _nextDelistingEnd = inForce.Count == 0 ? DateTimeOffset.MaxValue : inForce.Min(d => d.Until);
    }

    /// <summary>A new day moves expiry on; a delisting whose time is up leaves DNS now (the sweep tidies Redis later).</summary>
    private void RefreshPolicyClock()
    {
        var now = time.GetUtcNow();
        int today = ListingRecord.DayNumber(now);
        if (today != index.Policy.Today)
        {
            index.UpdatePolicy(p => p.With(today));
            lock (index.Writer) zones.PublishSerials(SequenceRead, today);      // expiry turned: the serial moves too
        }
        if (now >= _nextDelistingEnd) PublishDelistings(index.Policy.Delistings.Where(d => d.IsInForce(now)).ToList());
    }

    private async Task RefreshRatingsAsync(IDatabase db)
    {
        var options = bands.Value;
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var labels = await VerdictWindow.ReadAsync(db, options.WindowDays, today);
        index.Publish(LabelTable.Build(labels, LabelRater.Rate(labels, options.MinimumVerdicts)));
        _lastRatingsAt = time.GetTimestamp();
    }

    [LoggerMessage(200, LogLevel.Information, "Index loaded from Redis: {Addresses} addresses, {Labels} labels in {Milliseconds:F0} ms ({V4} IPv4 and {V6} IPv6 entries in {Megabytes:F1} MB)")]
    private static partial void LogLoaded(ILogger logger, int addresses, int labels, double milliseconds, int v4, int v6, double megabytes);

    [LoggerMessage(201, LogLevel.Warning, "Redis {Endpoint} unreachable ({Reason}); still answering from {Addresses} addresses and {Labels} labels in memory, and the RFC 5782 test entries. Retrying every second.")]
    private static partial void LogRedisDown(ILogger logger, string endpoint, int addresses, int labels, string reason);

    [LoggerMessage(212, LogLevel.Warning, "Redis stores bucket {Bucket} ({Count} listings) as a hashtable, about 5 times the memory of a listpack: set 'hash-max-listpack-entries {Suggested}' in redis.conf (and CONFIG SET it now); dnsfp's buckets grow with the list")]
    private static partial void LogHashtableBuckets(ILogger logger, string bucket, int count, int suggested);

    [LoggerMessage(211, LogLevel.Warning, "Change feed: {Missed} entries were trimmed (older than Fold:ChangeFeedAge) or erased (forget) before this server read them; reloading the index from the listings")]
    private static partial void LogFellBehind(ILogger logger, long missed);

    [LoggerMessage(213, LogLevel.Warning, "Change feed {Feed} went back from entry {Last} to {Sequence} (Redis lost writes: a failover, or a restart without persistence); reloading the index from the listings")]
    private static partial void LogFeedWentBack(ILogger logger, string feed, long last, long sequence);

    [LoggerMessage(210, LogLevel.Warning, "Change notices unavailable ({Reason}): changes are read every {Milliseconds} ms instead of at once (give the server's Redis user &dnsfp:* and +@pubsub)")]
    private static partial void LogNoNotices(ILogger logger, string reason, double milliseconds);

    [LoggerMessage(202, LogLevel.Information, "Redis is back: index reloaded, {Addresses} addresses, {Labels} labels in {Milliseconds:F0} ms")]
    private static partial void LogRedisBack(ILogger logger, int addresses, int labels, double milliseconds);
}
