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

    /// <summary>Returns when one replica of each primary confirmed; throws a <see cref="RedisException"/> when none did in time.</summary>
    public static async Task WaitAsync(IConnectionMultiplexer redis)
    {
        var servers = redis.GetServers();
        foreach (var primary in servers.Where(s => !s.IsReplica && s.IsConnected))
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
