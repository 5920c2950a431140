using System.Net;
using DnsFp.Server.Engine;
using DnsFp.Server.Zones;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DnsFp.Server.Hosting;

/// <summary>Opens a UDP and a TCP listener on every configured address (same port for both, also when the port is 0).</summary>
internal sealed partial class DnsListenerService(
    AnswerEngine engine, Transfer.TransferResponder transfers, ZoneSet zones, IOptions<ServerOptions> options, ILogger<DnsListenerService> logger) : IHostedService
{
    private readonly List<UdpListenerHandle> _listeners = [];

    private sealed record UdpListenerHandle(Transports.UdpListener Udp, Transports.DnsTcpListener Tcp);

    /// <summary>Where the server actually listens (resolved ports), for tests and logs.</summary>
    public IReadOnlyList<IPEndPoint> Endpoints => _listeners.Select(l => l.Udp.LocalEndPoint).ToList();

    /// <summary>The TCP listeners, for tests that look at their connection counts.</summary>
    internal IReadOnlyList<Transports.DnsTcpListener> TcpListeners => _listeners.Select(l => l.Tcp).ToList();

    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var endpoint in options.Value.ListenEndpoints())
        {
            var (udp, tcp) = Open(endpoint);
            udp.Start(); tcp.Start();
            _listeners.Add(new UdpListenerHandle(udp, tcp));
            LogListening(logger, udp.LocalEndPoint, string.Join(", ", zones.Zones.Select(z => z.Name)));
        }
        return Task.CompletedTask;
    }

    /// <summary>
    /// UDP first, then TCP on the port UDP got. With port 0 the kernel picks a UDP port that a TCP connection may
    /// already use (outgoing connections share the ephemeral range): then another UDP port is tried.
    /// </summary>
    private (Transports.UdpListener, Transports.DnsTcpListener) Open(IPEndPoint endpoint)
    {
        for (int attempt = 1; ; attempt++)
        {
            var udp = new Transports.UdpListener(endpoint, engine, options.Value.UdpWorkers, logger);
            try { return (udp, new Transports.DnsTcpListener(udp.LocalEndPoint, engine, transfers, options.Value.TcpLimits(), logger)); }
            catch (System.Net.Sockets.SocketException ex) when (endpoint.Port == 0 && attempt < 20 && ex.SocketErrorCode == System.Net.Sockets.SocketError.AddressAlreadyInUse) { udp.Dispose(); }
            catch { udp.Dispose(); throw; }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var l in _listeners) { l.Udp.Dispose(); l.Tcp.Dispose(); }
        _listeners.Clear();
        return Task.CompletedTask;
    }

    [LoggerMessage(400, LogLevel.Information, "Answering DNS on {Endpoint} (UDP and TCP) for {Zones}")]
    private static partial void LogListening(ILogger logger, IPEndPoint endpoint, string zones);
}
