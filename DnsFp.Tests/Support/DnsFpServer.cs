using System.Collections.Concurrent;
using DnsFp.Server.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DnsFp.Tests.Support;

/// <summary>The real server (listeners, folder, follower) in this process on 127.0.0.1 with a free port, with its log captured.</summary>
public sealed class DnsFpServer : IAsyncDisposable
{
    private readonly IHost _host;

    private DnsFpServer(IHost host, int port, ConcurrentQueue<string> log) { _host = host; Port = port; Log = log; }

    public int Port { get; }

    public ConcurrentQueue<string> Log { get; }

    /// <summary>The server's services, to look at its parts (listeners' counts).</summary>
    internal IServiceProvider Services => _host.Services;

    /// <summary>The server's published index, to check what it holds (not only what DNS answers).</summary>
    internal DnsFp.Server.Index.IndexHolder Index => _host.Services.GetRequiredService<DnsFp.Server.Index.IndexHolder>();

    /// <param name="time">The server's clock (default: the real one); a <see cref="ShiftedTimeProvider"/> moves it forward.</param>
    public static async Task<DnsFpServer> StartAsync(string redisEndpoint, string? zones = null, IDictionary<string, string?>? settings = null, TimeProvider? time = null)
    {
        var log = new ConcurrentQueue<string>();
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
        return new DnsFpServer(host, port, log);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
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
