using System.Net;
using System.Net.Sockets;
using DnsFp.Server.Engine;
using Microsoft.Extensions.Logging;

namespace DnsFp.Server.Transports;

/// <summary>
/// DNS over UDP on dedicated threads with buffers allocated once, so nothing is allocated per packet. ARSoft's
/// DnsServer is not used here: it measured ~4x slower, allocates ~8 KB per query, drops queries over 512 bytes and
/// sends no FORMERR (DESIGN.md).
/// On Linux one socket is served in rounds of one recvmmsg and one sendmmsg for up to 32 packets
/// (<see cref="BatchedUdpLoop"/>). One primary thread blocks on it; the other workers (one per further core) never
/// block in the kernel: they are woken only when the primary's round came back full (a backlog of 32 or more), then
/// drain the socket without waiting and go back to sleep once it is empty. So the kernel wakes one thread per burst,
/// not one per core (each wake-up costs more than answering a query), and every core answers when one is not enough.
/// Measured under dnsperf at 1M entries (bench/): CPU per answered query 3.6-6.5 µs; one SO_REUSEPORT socket per core
/// (each worker sleeping and woken for its share) 4.4-8.5 µs; two workers blocking on one socket 6.6-11.1 µs;
/// spinning 30-100 µs before blocking 7.4-9.5 µs.
/// Elsewhere: rbldnsd's plain loop, one receive, the engine, one send, with a reused SocketAddress.
/// </summary>
internal sealed partial class UdpListener : IDisposable
{
    private readonly Socket _socket;
    private readonly AnswerEngine _engine;
    private readonly ILogger _logger;
    private readonly Thread[] _workers;
    private readonly SemaphoreSlim _backlog;
    private volatile bool _stopping;

    private readonly int _helpAt;

    /// <param name="helpAt">Round size that calls a helper: a full round (the default) means a backlog; tests lower it.</param>
    public UdpListener(IPEndPoint endpoint, AnswerEngine engine, int workers, ILogger logger, int helpAt = BatchedUdpLoop.Batch)
    {
        _engine = engine; _logger = logger; _helpAt = helpAt;
        _socket = Open(endpoint);
        LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;
        int helpers = OperatingSystem.IsLinux() ? Math.Max(0, workers - 1) : 0;
        _backlog = new SemaphoreSlim(0, Math.Max(1, helpers));
        _workers = new Thread[1 + helpers];
        _workers[0] = new Thread(ServePrimary) { IsBackground = true, Name = $"dns-udp-{LocalEndPoint}" };
        for (int i = 1; i < _workers.Length; i++) _workers[i] = new Thread(ServeHelper) { IsBackground = true, Name = $"dns-udp-{LocalEndPoint}-{i}" };
    }

    public IPEndPoint LocalEndPoint { get; }

    private long _answeredByHelpers;

    /// <summary>Queries the helper workers took (they only run while there is a backlog).</summary>
    public long AnsweredByHelpers => Interlocked.Read(ref _answeredByHelpers);

    public void Start()
    {
        foreach (var w in _workers) w.Start();
    }

    private static Socket Open(IPEndPoint endpoint)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (endpoint.AddressFamily == AddressFamily.InterNetworkV6) socket.DualMode = false;
            socket.ReceiveBufferSize = 4 << 20;
            socket.ReceiveTimeout = 500;                    // so a stop is noticed without closing under a blocked call
            socket.Bind(endpoint);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private void ServePrimary()
    {
        if (!OperatingSystem.IsLinux()) { ServePlain(); return; }
        using var loop = new BatchedUdpLoop();
        nint fd = _socket.Handle;
        while (!_stopping)
        {
            if (loop.Round(fd, _engine, wait: true) >= _helpAt) CallForHelp();
        }
    }

    private void ServeHelper()
    {
        using var loop = new BatchedUdpLoop();
        nint fd = _socket.Handle;
        while (!_stopping)
        {
            if (!_backlog.Wait(500)) continue;
            // drain without waiting; two empty rounds in a row and the backlog is gone
            for (int empty = 0; empty < 2 && !_stopping;)
            {
                int received = loop.Round(fd, _engine, wait: false);
                if (received > 0) Interlocked.Add(ref _answeredByHelpers, received);
                empty = received == 0 ? empty + 1 : 0;
                if (received >= _helpAt) CallForHelp();
            }
        }
    }

    private void CallForHelp()
    {
        if (_workers.Length == 1 || _backlog.CurrentCount > 0) return;
        try { _backlog.Release(); }
        catch (SemaphoreFullException) { }                  // every helper is already called
    }

    private void ServePlain()
    {
        var request = new byte[65535];
        var response = new byte[65535];
        var peer = new SocketAddress(_socket.AddressFamily);
        while (!_stopping)
        {
            try
            {
                int n = _socket.ReceiveFrom(request, SocketFlags.None, peer);
                int m = _engine.Answer(request.AsSpan(0, n), response, Client.FromSockaddr(peer.Buffer.Span[..peer.Size], AnswerEngine.Transport.Udp));
                if (m > 0) _socket.SendTo(response.AsSpan(0, m), SocketFlags.None, peer);
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.TimedOut) { }
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
        // Workers notice within their receive timeout; only then is the socket closed, so no worker is ever left
        // in a system call on a file descriptor number that the process may already have reused.
        foreach (var w in _workers) if (w.IsAlive) w.Join(TimeSpan.FromSeconds(2));
        _socket.Dispose();
        _backlog.Dispose();
    }

    [LoggerMessage(300, LogLevel.Debug, "UDP {Endpoint}: {Error}; the packet was dropped")]
    private static partial void LogSocketError(ILogger logger, IPEndPoint endpoint, SocketError error);
}
