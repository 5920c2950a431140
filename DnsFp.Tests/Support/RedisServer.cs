using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace DnsFp.Tests.Support;

/// <summary>A private redis-server on a free loopback port in a temporary folder; stopped and deleted on dispose.</summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly string _dir;
    private Process? _process;

    private readonly string[] _extraArgs;

    private RedisServer(int port, string dir, string[] extraArgs) { Port = port; _dir = dir; _extraArgs = extraArgs; }

    public string Directory => _dir;

    public int Port { get; }

    public string Endpoint => $"127.0.0.1:{Port}";

    /// <param name="aclFileText">Contents of an ACL file to start with (users and passwords), or null for the default user only.</param>
    public static async Task<RedisServer> StartAsync(string? aclFileText = null)
    {
        var dir = System.IO.Directory.CreateTempSubdirectory("dnsfp-redis-").FullName;
        string[] extra = [];
        if (aclFileText is not null)
        {
            File.WriteAllText(Path.Combine(dir, "users.acl"), aclFileText);
            extra = ["--aclfile", Path.Combine(dir, "users.acl")];
        }
        var server = new RedisServer(FreePort.Tcp(), dir, extra);
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>Starts redis-server (again) on the same port, with the data it saved when stopped.</summary>
    public async Task StartAgainAsync()
    {
        var psi = new ProcessStartInfo("redis-server")
        {
            ArgumentList = { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", _dir,
                "--save", "", "--appendonly", "yes", "--daemonize", "no", "--logfile", Path.Combine(_dir, "redis.log") },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in _extraArgs) psi.ArgumentList.Add(a);
        _process = Process.Start(psi) ?? throw new InvalidOperationException("could not start redis-server (is it installed? .ci/run installs it)");
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            try
            {
                using var c = await ConnectionMultiplexer.ConnectAsync($"{Endpoint},connectTimeout=500");
                await c.GetDatabase().PingAsync();
                return;
            }
            catch (RedisException) { await Task.Delay(50); }              // not up yet, or still LOADING its data
        }
        throw new TimeoutException($"redis-server on {Endpoint} did not answer within 10 s; see {_dir}/redis.log");
    }

    /// <summary>Stops redis-server as an operator would (SIGTERM: it flushes its append-only file, which
    /// <see cref="StartAgainAsync"/> loads again).</summary>
    public async Task StopAsync()
    {
        if (_process is null) return;
        using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) await term.WaitForExitAsync();
        await _process.WaitForExitAsync();
        _process.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try { System.IO.Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}

public static class FreePort
{
    public static int Tcp()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
