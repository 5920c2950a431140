using System.Diagnostics;
using System.Globalization;
using StackExchange.Redis;

namespace DnsFp.Tests.Support;

/// <summary>
/// A Sentinel setup as Redis' documentation builds it, on loopback ports: one primary, two replicas (replicaof), and
/// three redis-sentinel processes (Debian's package) monitoring it with quorum 2. <see cref="KillPrimaryAsync"/> kills
/// the primary with SIGKILL and waits until the sentinels name a new one.
/// </summary>
public sealed class RedisSentinelSet : IFailoverRedis
{
    public const string ServiceName = "dnsfp";

    private readonly string _dir;
    private readonly Dictionary<int, Process> _redis = [];
    private readonly List<Process> _sentinels = [];
    private readonly List<int> _sentinelPorts = [];

    private RedisSentinelSet(string dir) => _dir = dir;

    /// <summary>The configuration string dnsfp takes: the sentinels and the service name.</summary>
    public string Endpoint => string.Join(",", _sentinelPorts.Select(p => $"127.0.0.1:{p}")) + $",serviceName={ServiceName}";

    public IReadOnlyCollection<int> DataPorts => _redis.Keys;

    public static async Task<RedisSentinelSet> StartAsync()
    {
        var set = new RedisSentinelSet(Directory.CreateTempSubdirectory("dnsfp-sentinel-").FullName);
        int primary = FreePort.Tcp();
        set.StartRedis(primary, null);
        await RedisProcess.WaitForPingAsync(primary);
        for (int i = 0; i < 2; i++)
        {
            int replica = FreePort.Tcp();
            set.StartRedis(replica, primary);
            await RedisProcess.WaitForPingAsync(replica);
        }
        for (int i = 0; i < 3; i++)
        {
            int port = FreePort.Tcp();
            string conf = Path.Combine(set._dir, $"sentinel-{port}.conf");
            File.WriteAllText(conf, string.Create(CultureInfo.InvariantCulture, $"""
                port {port}
                bind 127.0.0.1
                dir {set._dir}
                sentinel monitor {ServiceName} 127.0.0.1 {primary} 2
                sentinel down-after-milliseconds {ServiceName} 1000
                sentinel failover-timeout {ServiceName} 10000
                sentinel parallel-syncs {ServiceName} 1

                """));
            set._sentinelPorts.Add(port);
            set._sentinels.Add(RedisProcess.Start("redis-sentinel", conf, "--logfile", Path.Combine(set._dir, $"sentinel-{port}.log")));
            await RedisProcess.WaitForPingAsync(port);
        }
        // the sentinels have found the replicas (and each other) when each reports two
        await RedisProcess.WaitUntilAsync(async () =>
        {
            foreach (int port in set._sentinelPorts)
            {
                var replicas = await SentinelAsync(port, "REPLICAS", ServiceName);
                if (replicas.Length != 2) return false;
            }
            return true;
        }, TimeSpan.FromSeconds(20), "the sentinels did not find both replicas");
        return set;
    }

    /// <summary>The port of the primary the sentinels name now.</summary>
    public async Task<int> PrimaryPortAsync()
    {
        var address = await SentinelAsync(_sentinelPorts[0], "GET-MASTER-ADDR-BY-NAME", ServiceName);
        return int.Parse((string)address[1]!, CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Kills the primary with SIGKILL and waits for the promotion. First it cuts the replicas off and lets the primary
    /// take writes alone for <paramref name="unreplicated"/>: what it confirms then is lost with it, the failure a
    /// replica-confirmation design must survive. (A replica whose link is cut reconnects at once; a password set on the
    /// primary keeps it out, while the clients' connections, authenticated before, go on.)
    /// </summary>
    public async Task<(int Old, int New)> KillPrimaryAsync(TimeSpan unreplicated)
    {
        int old = await PrimaryPortAsync();
        var process = _redis[old];
        await RedisProcess.CutOffReplicasAsync(old, unreplicated);
        process.Kill();
        await process.WaitForExitAsync();
        _redis.Remove(old);
        int promoted = old;
        await RedisProcess.WaitUntilAsync(async () => (promoted = await PrimaryPortAsync()) != old, TimeSpan.FromSeconds(30), "no replica was promoted");
        return (old, promoted);
    }

    private void StartRedis(int port, int? primaryPort)
    {
        var args = new List<string> { "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", _dir,
            "--dbfilename", $"dump-{port}.rdb", "--save", "", "--appendonly", "no", "--logfile", Path.Combine(_dir, $"redis-{port}.log") };
        if (primaryPort is { } p) { args.Add("--replicaof"); args.Add("127.0.0.1"); args.Add(p.ToString(CultureInfo.InvariantCulture)); }
        _redis[port] = RedisProcess.Start("redis-server", [.. args]);
    }

    private static async Task<RedisResult[]> SentinelAsync(int port, params object[] args)
    {
        var options = ConfigurationOptions.Parse($"127.0.0.1:{port}");
        options.CommandMap = CommandMap.Sentinel;
        using var c = await ConnectionMultiplexer.ConnectAsync(options);
        return (RedisResult[])(await c.GetServer("127.0.0.1", port).ExecuteAsync("SENTINEL", args))!;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var p in _sentinels.Concat(_redis.Values))
        {
            if (!p.HasExited) { p.Kill(); await p.WaitForExitAsync(); }
            p.Dispose();
        }
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
