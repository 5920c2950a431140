using StackExchange.Redis;

namespace DnsFp.Server.Sharding;

/// <summary>
/// Reads many streams (the 64 shard streams and the global one) in as few commands as the Redis allows: one XREAD or
/// XREADGROUP naming them all on a single Redis or behind Sentinel, one per stream, pipelined, on a Redis Cluster,
/// where a command may only name keys of one hash slot. The result is aligned with the keys given: entry i holds
/// what stream i returned (empty when it had nothing).
/// </summary>
internal static class StreamSet
{
    public static async Task<StreamEntry[][]> ReadAsync(IConnectionMultiplexer redis, IDatabase db, RedisKey[] keys, RedisValue[] after, int countPerStream)
    {
        if (IsCluster(redis))
            return await Task.WhenAll(keys.Select((k, i) => db.StreamReadAsync(k, after[i], countPerStream)));
        var streams = await db.StreamReadAsync([.. keys.Select((k, i) => new StreamPosition(k, after[i]))], countPerStream);
        return Align(keys, streams);
    }

    /// <summary>XREADGROUP of every stream from <paramref name="position"/> ("0": this consumer's pending entries, ">": new ones).</summary>
    public static async Task<StreamEntry[][]> ReadGroupAsync(IConnectionMultiplexer redis, IDatabase db, RedisKey[] keys, RedisValue position, RedisValue group, RedisValue consumer, int countPerStream)
    {
        if (IsCluster(redis))
            return await Task.WhenAll(keys.Select(k => db.StreamReadGroupAsync(k, group, consumer, position, countPerStream)));
        var streams = await db.StreamReadGroupAsync([.. keys.Select(k => new StreamPosition(k, position))], group, consumer, countPerStream);
        return Align(keys, streams);
    }

    /// <summary>Whether the connection is to a Redis Cluster (the client learnt the slot map with CLUSTER NODES).</summary>
    public static bool IsCluster(IConnectionMultiplexer redis) => redis.GetServers().Any(s => s.ServerType == ServerType.Cluster);

    private static StreamEntry[][] Align(RedisKey[] keys, RedisStream[] streams)
    {
        var result = new StreamEntry[keys.Length][];
        for (int i = 0; i < keys.Length; i++)
        {
            result[i] = [];
            foreach (var s in streams) if (s.Key == keys[i]) { result[i] = s.Entries; break; }
        }
        return result;
    }
}
