using System.Globalization;
using StackExchange.Redis;

namespace DnsFp.Agent.Writer;

/// <summary>
/// Waits until a replica of every primary has what this agent wrote (WAIT 1), when the client knows replicas: a
/// Sentinel setup or a Redis Cluster. Redis replicates asynchronously, so a primary killed right after it confirmed
/// an XADD can take those facts with it, and the replica Sentinel promotes never had them; an agent that let its
/// spool move on at that point would have lost them. WAIT covers everything sent before it on the same connection,
/// which is the one the multiplexer keeps to each primary, so one WAIT per primary confirms the whole write. Sentinel
/// promotes the replica with the most data, so one confirmed replica is enough against the loss of the primary.
/// </summary>
internal static class ReplicaConfirmation
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(2);

    /// <summary>The primaries the client writes to now; taken before a write, and compared after it by <see cref="WaitAsync"/>.</summary>
    public static HashSet<string> Primaries(IConnectionMultiplexer redis) =>
        [.. redis.GetServers().Where(s => !s.IsReplica && s.IsConnected).Select(s => s.EndPoint.ToString()!)];

    /// <summary>
    /// Returns when one replica of each primary confirmed; throws a <see cref="RedisException"/> when none did in time,
    /// or when the primaries are not those of <paramref name="before"/> (the write started): during a failover an XADD
    /// can go to the old primary and the WAIT to the new one, whose replicas then confirm writes they never got.
    /// </summary>
    public static async Task WaitAsync(IConnectionMultiplexer redis, HashSet<string> before)
    {
        var servers = redis.GetServers();
        var primaries = servers.Where(s => !s.IsReplica && s.IsConnected).ToArray();
        if (!before.SetEquals(primaries.Select(p => p.EndPoint.ToString()!)))
            throw new RedisException($"the primaries changed while the facts were written (a failover: {string.Join(", ", before)} before, {string.Join(", ", primaries.Select(p => p.EndPoint))} now); they stay in the spool and are sent again");
        foreach (var primary in primaries)
        {
            if (!HasReplica(primary, servers)) continue;          // a single Redis, or a primary whose replica is gone

            var replicas = (long)await primary.ExecuteAsync("WAIT", 1, (long)Limit.TotalMilliseconds);
            if (replicas < 1)
                throw new RedisException(string.Create(CultureInfo.InvariantCulture,
                    $"primary {primary.EndPoint} took the facts but no replica confirmed them within {Limit.TotalSeconds:F0} s; they stay in the spool and are sent again"));
        }
    }

    /// <summary>
    /// Whether a primary has a replica to wait for: on a Cluster, a connected replica node of that primary in the slot
    /// map (a promoted replica has none until the old primary comes back, and must not stall the agent); otherwise
    /// any replica the client found through the sentinels or the configuration string.
    /// </summary>
    private static bool HasReplica(IServer primary, IServer[] servers)
    {
        if (primary.ServerType != ServerType.Cluster) return servers.Any(s => s.IsReplica && s.IsConnected);
        var self = primary.ClusterConfiguration?[primary.EndPoint];
        return self is not null && self.Children.Any(c => c.IsConnected && !c.IsNoAddr);
    }
}
