using System.Diagnostics;
using StackExchange.Redis;

namespace DnsFp.Tests.Support;

/// <summary>A Redis setup whose primary a test can kill: Sentinel (<see cref="RedisSentinelSet"/>) or Cluster (<see cref="RedisClusterSet"/>).</summary>
public interface IFailoverRedis : IAsyncDisposable
{
    /// <summary>The configuration string dnsfp takes for it.</summary>
    string Endpoint { get; }

    /// <summary>Cuts a primary's replicas off, lets it take writes alone for a while, kills it with SIGKILL, and waits until a replica took over.</summary>
    Task<(int Old, int New)> KillPrimaryAsync(TimeSpan unreplicated);
}

/// <summary>What the Sentinel and Cluster setups of the tests do with their redis-server and redis-sentinel processes.</summary>
public static class RedisProcess
{
    public static Process Start(string program, params string[] args)
    {
        var psi = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        return Process.Start(psi) ?? throw new InvalidOperationException($"could not start {program} (.ci/run installs redis-server and redis-sentinel)");
    }

    /// <summary>
    /// Cuts a primary's replicas off so that what it confirms from now on is lost when it dies: the failure a
    /// replica-confirmation design must survive. (A replica whose link is cut reconnects at once; a password set on
    /// the primary keeps it out, while the clients' connections, authenticated before, go on.)
    /// </summary>
    public static async Task CutOffReplicasAsync(int port, TimeSpan alone)
    {
        using (var admin = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{port},allowAdmin=true"))
        {
            var primary = admin.GetServer("127.0.0.1", port);
            await primary.ExecuteAsync("CONFIG", "SET", "requirepass", "keeps-the-replicas-out");
            await primary.ExecuteAsync("CLIENT", "KILL", "TYPE", "replica");
        }
        await Task.Delay(alone);
    }

    /// <summary>Waits until a Redis or a sentinel on the port answers PING (plain RESP: a sentinel knows few commands).</summary>
    public static async Task WaitForPingAsync(int port) => await WaitUntilAsync(async () =>
    {
        try
        {
            using var tcp = new System.Net.Sockets.TcpClient();
            await tcp.ConnectAsync(System.Net.IPAddress.Loopback, port);
            var stream = tcp.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray());
            var buffer = new byte[16];
            int n = await stream.ReadAsync(buffer);
            return System.Text.Encoding.ASCII.GetString(buffer, 0, n).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (System.Net.Sockets.SocketException) { return false; }
        catch (IOException) { return false; }
    }, TimeSpan.FromSeconds(10), $"nothing answered on port {port}");

    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan limit, string failure)
    {
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < limit)
        {
            try { if (await condition()) return; } catch (RedisException) { }
            await Task.Delay(100);
        }
        throw new TimeoutException(failure);
    }

}
