using System.Collections.Concurrent;
using System.Diagnostics;
using DnsFp.Server.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DnsFp.Tests.Support;

/// <summary>
/// The real server (listeners, folder, follower) on 127.0.0.1 with a free port, with its log captured: in this
/// process, or with DNSFP_NATIVE (<see cref="Cli.NativeDirectory"/>) the native binary as a process of its own,
/// settings passed as DNSFP_ environment variables.
/// </summary>
public sealed class DnsFpServer : IAsyncDisposable
{
    private readonly IHost? _host;
    private readonly Process? _process;

    private DnsFpServer(IHost? host, Process? process, int port, ConcurrentQueue<string> log) { _host = host; _process = process; Port = port; Log = log; }

    private IHost Host => _host ?? throw new InvalidOperationException("this test looks inside the server, which only an in-process server allows (unset DNSFP_NATIVE)");

    public int Port { get; }

    public ConcurrentQueue<string> Log { get; }

    /// <summary>The server's services, to look at its parts (listeners' counts).</summary>
    internal IServiceProvider Services => Host.Services;

    /// <summary>The server's published index, to check what it holds (not only what DNS answers).</summary>
    internal DnsFp.Server.Index.IndexHolder Index => Host.Services.GetRequiredService<DnsFp.Server.Index.IndexHolder>();

    /// <param name="time">The server's clock (default: the real one); a <see cref="ShiftedTimeProvider"/> moves it forward.</param>
    /// <param name="asProcess">Run the program as a process of its own even with the JIT build: its metrics are its
    /// own (a MeterProvider sees every meter of its name in the process, other tests' servers' too).</param>
    public static async Task<DnsFpServer> StartAsync(string redisEndpoint, string? zones = null, IDictionary<string, string?>? settings = null, TimeProvider? time = null, bool asProcess = false)
    {
        var log = new ConcurrentQueue<string>();
        if (Cli.NativeDirectory is not null || asProcess)
        {
            if (time is not null) throw new InvalidOperationException("a shifted clock needs an in-process server (unset DNSFP_NATIVE)");
            return await StartProcessAsync(redisEndpoint, zones ?? RepoPaths.Zones, settings, log);
        }
        var host = ServerHost.Build(
            o => { o.Listen = ["127.0.0.1:0"]; o.Zones = zones ?? RepoPaths.Zones; o.Redis = redisEndpoint; o.UdpWorkers = 2; },
            settings,
            b =>
            {
                b.Logging.AddProvider(new CapturingLoggerProvider(log));
                if (time is not null) b.Services.AddSingleton(time);
            });
        await host.StartAsync();
        int port = host.Services.GetRequiredService<DnsListenerService>().Endpoints[0].Port;
        return new DnsFpServer(host, null, port, log);
    }

    private static async Task<DnsFpServer> StartProcessAsync(string redisEndpoint, string zones, IDictionary<string, string?>? settings, ConcurrentQueue<string> log)
    {
        int port = FreePort.Tcp();
        var psi = Cli.StartInfo("dnsfp-server", "run", "--listen", $"127.0.0.1:{port}", "--zones", zones, "--redis", redisEndpoint);
        psi.Environment["DNSFP_Server__UdpWorkers"] = "2";
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) psi.Environment["DNSFP_" + key.Replace(":", "__", StringComparison.Ordinal)] = value;
        var process = Process.Start(psi)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) log.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) log.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var started = Stopwatch.StartNew();
        while (!log.Any(l => l.Contains("Answering DNS on", StringComparison.Ordinal)))
        {
            if (process.HasExited || started.Elapsed > TimeSpan.FromSeconds(20))
            {
                if (!process.HasExited) process.Kill();
                throw new InvalidOperationException($"{psi.FileName} did not start listening on 127.0.0.1:{port}:\n{string.Join('\n', log)}");
            }
            await Task.Delay(20);
        }
        return new DnsFpServer(null, process, port, log);
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
            _process.Dispose();
            return;
        }
        await Host.StopAsync();
        Host.Dispose();
    }

    private sealed class CapturingLoggerProvider(ConcurrentQueue<string> sink) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Capturing(sink);
        public void Dispose() { }

        private sealed class Capturing(ConcurrentQueue<string> sink) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;
            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (IsEnabled(logLevel)) sink.Enqueue($"{logLevel}: {formatter(state, exception)}");
            }
        }
    }
}
