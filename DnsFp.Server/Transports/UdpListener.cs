using System.Net;
using System.Net.Sockets;
using DnsFp.Server.Engine;
using Microsoft.Extensions.Logging;

namespace DnsFp.Server.Transports;

/// <summary>
/// DNS over UDP, as plain as rbldnsd's request loop: one blocking receive, the engine, one send, on dedicated
/// threads with buffers allocated once and a reused SocketAddress, so nothing is allocated per packet. ARSoft's
/// DnsServer is not used here: it measured ~4x slower, allocates ~8 KB per query, drops queries over 512 bytes and
/// sends no FORMERR (DESIGN.md).
/// </summary>
internal sealed partial class UdpListener : IDisposable
{
    private readonly Socket _socket;
    private readonly AnswerEngine _engine;
    private readonly ILogger _logger;
    private readonly Thread[] _workers;
    private volatile bool _stopping;

    public UdpListener(IPEndPoint endpoint, AnswerEngine engine, int workers, ILogger logger)
    {
        _engine = engine; _logger = logger;
        _socket = new Socket(endpoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        if (endpoint.AddressFamily == AddressFamily.InterNetworkV6) _socket.DualMode = false;
        _socket.ReceiveBufferSize = 4 << 20;
        _socket.Bind(endpoint);
        LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;
        _workers = new Thread[Math.Max(1, workers)];
        for (int i = 0; i < _workers.Length; i++)
            _workers[i] = new Thread(Serve) { IsBackground = true, Name = $"dns-udp-{LocalEndPoint}-{i}" };
    }

    public IPEndPoint LocalEndPoint { get; }

    public void Start()
    {
        foreach (var w in _workers) w.Start();
    }

    private void Serve()
    {
        var request = new byte[65535];
        var response = new byte[65535];
        var peer = new SocketAddress(_socket.AddressFamily);
        while (!_stopping)
        {
            try
            {
                int n = _socket.ReceiveFrom(request, SocketFlags.None, peer);
                int m = _engine.Answer(request.AsSpan(0, n), response, AnswerEngine.Transport.Udp);
                if (m > 0) _socket.SendTo(response.AsSpan(0, m), SocketFlags.None, peer);
            }
            catch (SocketException ex) when (!_stopping)
            {
                // An ICMP error for an earlier reply, or a full send buffer: that packet is lost, the loop is not.
                LogSocketError(_logger, LocalEndPoint, ex.SocketErrorCode);
            }
            catch (ObjectDisposedException) { return; }
            catch (SocketException) { return; }
        }
    }

    public void Dispose()
    {
        _stopping = true;
        _socket.Dispose();
        foreach (var w in _workers) if (w.IsAlive) w.Join(TimeSpan.FromSeconds(2));
    }

    [LoggerMessage(300, LogLevel.Debug, "UDP {Endpoint}: {Error}; the packet was dropped")]
    private static partial void LogSocketError(ILogger logger, IPEndPoint endpoint, SocketError error);
}
