using DnsFp.Contract;
using StackExchange.Redis;

namespace DnsFp.Agent.Writer;

/// <summary>
/// Appends facts to the shard streams (<see cref="RedisKeys.Facts"/>, shard from the address) with XADD only, which
/// is all the agents' Redis user may write (deploy/redis/users.acl.example): up to <see cref="FactStreamEntry.MaxFacts"/>
/// facts per entry, several entries in flight at once. Sharding by address is what lets a Redis Cluster spread the
/// fold over its primaries; facts about one address stay in order in one stream. The server folds each fact once by
/// its id, so writing a batch again after an error is safe. When the client knows replicas (Sentinel, Cluster), the
/// write counts as done only once <see cref="ReplicaConfirmation"/> says a replica has it, so a failover that loses the
/// primary's last writes cannot lose facts the spool has let go.
/// </summary>
internal sealed class RedisFactWriter(IConnectionMultiplexer redis)
{
    /// <summary>This agent's host name as facts carry it, so operators can see which hosts run which sources.</summary>
    private static readonly string Host = Environment.MachineName;

    /// <summary>Batch entries sent before the writer waits for Redis to confirm the oldest.</summary>
    private const int InFlight = 8;

    private static readonly TimeSpan ConfirmLimit = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Writes every fact; returns when Redis (and, where there are replicas, one replica) has all of them.
    /// <paramref name="progress"/> gets the number of facts Redis confirmed so far.
    /// </summary>
    public async Task WriteAsync(IEnumerable<Fact> facts, Action<long>? progress = null)
    {
        var db = redis.GetDatabase();
        var primaries = ReplicaConfirmation.Primaries(redis);
        // Plain async calls, pipelined by the multiplexer; an IBatch built during a reconnect can stay unsent
        // forever, so there is none, and a time limit on each: the caller then sends again (ids make that safe).
        var sent = new Queue<(Task Add, long Facts)>();
        var chunks = new List<Fact>?[AddressBuckets.ShardCount];
        long confirmed = 0;
        async Task SendAsync(int shard)
        {
            var chunk = chunks[shard]!;
            sent.Enqueue((db.StreamAddAsync(RedisKeys.Facts(shard), FactStreamEntry.Batch(chunk, Host)), chunk.Count));
            chunks[shard] = null;
            while (sent.Count >= InFlight) await ConfirmOldestAsync();
        }
        async Task ConfirmOldestAsync()
        {
            var (add, count) = sent.Dequeue();
            await add.WaitAsync(ConfirmLimit);
            confirmed += count;
            progress?.Invoke(confirmed);
        }
        foreach (var fact in facts)
        {
            int shard = AddressBuckets.ShardOf(fact.Address);
            var chunk = chunks[shard] ??= new List<Fact>(64);
            chunk.Add(fact);
            if (chunk.Count == FactStreamEntry.MaxFacts) await SendAsync(shard);
        }
        for (int shard = 0; shard < chunks.Length; shard++)
            if (chunks[shard] is not null) await SendAsync(shard);
        while (sent.Count > 0) await ConfirmOldestAsync();
        await ReplicaConfirmation.WaitAsync(redis, primaries);
    }
}
