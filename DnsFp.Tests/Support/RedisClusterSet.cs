using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace DnsFp.Tests.Support;

/// <summary>
/// A Redis Cluster as Redis' documentation builds it, on loopback ports: six <c>redis-server --cluster-enabled yes</c>
/// joined by <c>redis-cli --cluster create --cluster-replicas 1</c>, so three primaries with a replica each.
/// <see cref="KillPrimaryAsync"/> kills one primary with SIGKILL and waits until its replica took its slots over.
/// </summary>
public sealed class RedisClusterSet : IFailoverRedis
{
    private readonly string _dir;
    private readonly Dictionary<int, Process> _nodes = [];

    private RedisClusterSet(string dir) => _dir = dir;

    /// <summary>The three primaries as the configuration string (the client finds the rest with CLUSTER NODES).</summary>
    public string Endpoint { get; private set; } = "";

    public static async Task<RedisClusterSet> StartAsync(int primaries = 3, int replicasEach = 1)
    {
        var set = new RedisClusterSet(Directory.CreateTempSubdirectory("dnsfp-cluster-").FullName);
        var ports = new List<int>();
        while (ports.Count < primaries * (1 + replicasEach))
        {
            int port = FreePort.Tcp();
            if (port + 10000 > 65535 || ports.Contains(port) || !IsFree(port + 10000)) continue;     // the cluster bus port
            ports.Add(port);
        }
        foreach (int port in ports)
        {
            string node = Path.Combine(set._dir, port.ToString(CultureInfo.InvariantCulture));
            Directory.CreateDirectory(node);
            set._nodes[port] = RedisProcess.Start("redis-server", "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
                "--dir", node, "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "2000", "--cluster-replica-validity-factor", "0",
                "--save", "", "--appendonly", "no", "--logfile", Path.Combine(node, "redis.log"));
            await RedisProcess.WaitForPingAsync(port);
        }
        var create = new ProcessStartInfo("redis-cli") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "--cluster", "create" }.Concat(ports.Select(p => $"127.0.0.1:{p}")).Concat(["--cluster-replicas", replicasEach.ToString(CultureInfo.InvariantCulture), "--cluster-yes"]))
            create.ArgumentList.Add(a);
        using (var cli = Process.Start(create)!)
        {
            string output = await cli.StandardOutput.ReadToEndAsync() + await cli.StandardError.ReadToEndAsync();
            await cli.WaitForExitAsync();
            if (cli.ExitCode != 0 || !output.Contains("All 16384 slots covered", StringComparison.Ordinal))
                throw new InvalidOperationException("redis-cli --cluster create failed:\n" + output);
        }
        set.Endpoint = string.Join(",", ports.Take(primaries).Select(p => $"127.0.0.1:{p}"));
        string? state = null;
        try { await RedisProcess.WaitUntilAsync(async () => { try { return (state = await StateAsync(ports[0])) == "ok"; } catch (Exception e) { state = e.GetType().Name + ": " + e.Message; return false; } }, TimeSpan.FromSeconds(20), "the cluster did not reach cluster_state:ok"); }
        catch (TimeoutException) { throw new TimeoutException($"the cluster did not reach cluster_state:ok (last: {state ?? "no answer"}); see {set._dir}"); }
        // and every node knows every replica, each replica in sync: clients read the replicas from the slot map at connect
        await RedisProcess.WaitUntilAsync(async () =>
        {
            foreach (int port in ports)
            {
                using var c = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{port},allowAdmin=true");
                var server = c.GetServer("127.0.0.1", port);
                string nodes = (string)(await server.ExecuteAsync("CLUSTER", "NODES"))!;
                if (nodes.Split('\n').Select(l => l.Split(' ')).Count(f => f.Length > 7 && f[2].Contains("slave", StringComparison.Ordinal) && f[7] == "connected") != primaries * replicasEach) return false;
                string replication = (string)(await server.ExecuteAsync("INFO", "replication"))!;
                if (replication.Contains("role:slave", StringComparison.Ordinal) && !replication.Contains("master_link_status:up", StringComparison.Ordinal)) return false;
            }
            return true;
        }, TimeSpan.FromSeconds(30), $"the cluster's replicas did not all attach; see {set._dir}");
        return set;
    }

    /// <summary>Kills the primary that holds shard 0's slot, after it took writes alone for <paramref name="unreplicated"/>.</summary>
    public async Task<(int Old, int New)> KillPrimaryAsync(TimeSpan unreplicated)
    {
        int old = await PrimaryOfAsync(DnsFp.Contract.RedisKeys.Facts(0));
        await RedisProcess.CutOffReplicasAsync(old, unreplicated);
        var process = _nodes[old];
        process.Kill();
        await process.WaitForExitAsync();
        _nodes.Remove(old);
        int survivor = _nodes.Keys.First(), promoted = old;
        await RedisProcess.WaitUntilAsync(async () =>
            await StateAsync(survivor) == "ok" && (promoted = await PrimaryOfAsync(DnsFp.Contract.RedisKeys.Facts(0), survivor)) != old,
            TimeSpan.FromSeconds(60), "no replica took the dead primary's slots over");
        return (old, promoted);
    }

    /// <summary>The port of the primary serving a key's slot, as a node's CLUSTER SLOTS says.</summary>
    private async Task<int> PrimaryOfAsync(string key, int? ask = null)
    {
        int node = ask ?? _nodes.Keys.First();
        using var c = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{node},allowAdmin=true");
        var server = c.GetServer("127.0.0.1", node);
        int slot = c.HashSlot(key);
        var slots = (RedisResult[])(await server.ExecuteAsync("CLUSTER", "SLOTS"))!;
        foreach (var entry in slots)
        {
            var range = (RedisResult[])entry!;
            if ((int)range[0] <= slot && slot <= (int)range[1]) return (int)((RedisResult[])range[2]!)[1];
        }
        throw new InvalidOperationException($"no node serves slot {slot}");
    }

    private static async Task<string?> StateAsync(int port)
    {
        using var c = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{port},allowAdmin=true");
        string info = (string)(await c.GetServer("127.0.0.1", port).ExecuteAsync("CLUSTER", "INFO"))!;
        if (info.StartsWith("txt:", StringComparison.Ordinal)) info = info[4..];              // a RESP3 verbatim string
        return info.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("cluster_state:", StringComparison.Ordinal))?["cluster_state:".Length..] ?? "unreadable: " + info[..Math.Min(80, info.Length)];
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var l = new TcpListener(IPAddress.Loopback, port);
            l.Start();
            return true;
        }
        catch (SocketException) { return false; }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var p in _nodes.Values)
        {
            if (!p.HasExited) { p.Kill(); await p.WaitForExitAsync(); }
            p.Dispose();
        }
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
