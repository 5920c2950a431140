using System.Net;
using System.Net.Sockets;
using DnsFp.Server.Engine;
using Microsoft.Extensions.Logging;

namespace DnsFp.Server.Transports;

/// <summary>
/// DNS over UDP on dedicated threads with buffers allocated once, so nothing is allocated per packet. On Linux each
/// round is one recvmmsg and one sendmmsg for up to 32 packets (<see cref="BatchedUdpLoop"/>); elsewhere it is
/// rbldnsd's plain loop: one receive, the engine, one send, with a reused SocketAddress. ARSoft's
/// DnsServer is not used here: it measured ~4x slower, allocates ~8 KB per query, drops queries over 512 bytes and
/// sends no FORMERR (DESIGN.md). On Linux each worker has its own socket on the same address (SO_REUSEPORT), so
/// the kernel spreads packets over the cores and no two threads wait on one socket.
/// </summary>
internal sealed partial class UdpListener : IDisposable
{
    private readonly Socket[] _sockets;
    private readonly AnswerEngine _engine;
    private readonly ILogger _logger;
    private readonly Thread[] _workers;
    private volatile bool _stopping;

    public UdpListener(IPEndPoint endpoint, AnswerEngine engine, int workers, ILogger logger)
    {
        _engine = engine; _logger = logger;
        int count = Math.Max(1, workers);
        bool reusePort = OperatingSystem.IsLinux() && count > 1;
        _sockets = new Socket[reusePort ? count : 1];
        _sockets[0] = Open(endpoint, reusePort);
        LocalEndPoint = (IPEndPoint)_sockets[0].LocalEndPoint!;
        for (int i = 1; i < _sockets.Length; i++) _sockets[i] = Open(LocalEndPoint, reusePort);   // same port, also when it was 0
        _workers = new Thread[count];
        for (int i = 0; i < _workers.Length; i++)
        {
            var socket = _sockets[i % _sockets.Length];
            _workers[i] = new Thread(() => Serve(socket)) { IsBackground = true, Name = $"dns-udp-{LocalEndPoint}-{i}" };
        }
    }

    public IPEndPoint LocalEndPoint { get; }

    public void Start()
    {
        foreach (var w in _workers) w.Start();
    }

    private static Socket Open(IPEndPoint endpoint, bool reusePort)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (endpoint.AddressFamily == AddressFamily.InterNetworkV6) socket.DualMode = false;
            if (reusePort) socket.SetRawSocketOption(SolSocket, SoReusePort, BitConverter.GetBytes(1));   // Linux only: same-user sockets only
            socket.ReceiveBufferSize = 4 << 20;
            socket.Bind(endpoint);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private const int SolSocket = 1, SoReusePort = 15;   // <asm-generic/socket.h>

    private void Serve(Socket socket)
    {
        if (OperatingSystem.IsLinux())
        {
            // one recvmmsg/sendmmsg per batch instead of a system call per packet each way
            socket.ReceiveTimeout = 500;                    // so a stop is noticed without closing under a blocked call
            using var loop = new BatchedUdpLoop();
            loop.Run(socket, _engine, () => _stopping);
            return;
        }
        var request = new byte[65535];
        var response = new byte[65535];
        var peer = new SocketAddress(socket.AddressFamily);
        while (!_stopping)
        {
            try
            {
                int n = socket.ReceiveFrom(request, SocketFlags.None, peer);
                int m = _engine.Answer(request.AsSpan(0, n), response, AnswerEngine.Transport.Udp);
                if (m > 0) socket.SendTo(response.AsSpan(0, m), SocketFlags.None, peer);
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
        // Workers notice within their receive timeout; only then are the sockets closed, so no worker is ever left
        // in a system call on a file descriptor number that the process may already have reused.
        foreach (var w in _workers) if (w.IsAlive) w.Join(TimeSpan.FromSeconds(2));
        foreach (var s in _sockets) s.Dispose();
    }

    [LoggerMessage(300, LogLevel.Debug, "UDP {Endpoint}: {Error}; the packet was dropped")]
    private static partial void LogSocketError(ILogger logger, IPEndPoint endpoint, SocketError error);
}
