namespace DnsFp.Server.Metrics;

/// <summary>
/// What the status page and the metrics say about the server's own state, written by the follower and the health
/// probe, read by scrapes and page views: when the index was last in step with Redis, the fold backlog, Redis' round trip.
/// </summary>
internal sealed class ServerHealth(TimeProvider time)
{
    private long _lastInSync;                 // TimeProvider timestamp; 0: never
    private long _backlog = -1;
    private double _redisRoundTripSeconds = -1;

    /// <summary>The follower has read the change feeds to their end (or loaded the index) just now.</summary>
    public void IndexInSync() => Volatile.Write(ref _lastInSync, time.GetTimestamp());

    /// <summary>Seconds since the index was last in step with Redis; null before the first load.</summary>
    public double? IndexAgeSeconds
    {
        get
        {
            long at = Volatile.Read(ref _lastInSync);
            return at == 0 ? null : time.GetElapsedTime(at).TotalSeconds;
        }
    }

    /// <summary>Facts appended by agents and not folded yet (the fact streams' length); -1 until first probed.</summary>
    public long FoldBacklog
    {
        get => Interlocked.Read(ref _backlog);
        set => Interlocked.Exchange(ref _backlog, value);
    }

    /// <summary>Redis' PING round trip at the last probe, seconds; -1 when that probe failed.</summary>
    public double RedisRoundTripSeconds
    {
        get => Volatile.Read(ref _redisRoundTripSeconds);
        set => Volatile.Write(ref _redisRoundTripSeconds, value);
    }
}
