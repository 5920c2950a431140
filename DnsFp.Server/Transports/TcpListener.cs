using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using DnsFp.Server.Engine;
using Microsoft.Extensions.Logging;

namespace DnsFp.Server.Transports;

/// <summary>
/// DNS over TCP (RFC 1035 4.2.2, RFC 7766): two-byte length framing, several queries per connection answered in
/// order, idle connections closed after <see cref="TcpLimits.IdleTimeout"/>. Connections are always accepted, so a new
/// client never waits behind idle ones (RFC 7766 6.2.3, 10): when <see cref="TcpLimits.MaxConnections"/> are open,
/// the connection idle the longest is closed to make room, and a client address at
/// <see cref="TcpLimits.MaxPerClient"/> gives up its own oldest idle one. Only when every connection is busy is the new
/// one closed. Answers are never truncated here.
/// </summary>
internal sealed partial class DnsTcpListener : IDisposable
{
    private readonly Socket _socket;
    private readonly AnswerEngine _engine;
    private readonly Transfer.TransferResponder? _transfers;
    private readonly TcpLimits _limits;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Connection> _open = [];              // guarded by itself; touched per connection, never per query
    private Task? _acceptLoop;
    private long _accepted, _evicted, _refused;

    public DnsTcpListener(IPEndPoint endpoint, AnswerEngine engine, Transfer.TransferResponder? transfers, TcpLimits limits, ILogger logger)
    {
        _engine = engine; _transfers = transfers; _limits = limits; _logger = logger;
        _socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        if (endpoint.AddressFamily == AddressFamily.InterNetworkV6) _socket.DualMode = false;
        _socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _socket.Bind(endpoint);
        _socket.Listen(1024);
        LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;
    }

    public IPEndPoint LocalEndPoint { get; }

    /// <summary>Connections open now, closed to make room, and refused because every one was busy (tests, metrics).</summary>
    public (int Open, long Evicted, long Refused) Counts
    {
        get { lock (_open) return (_open.Count, Interlocked.Read(ref _evicted), Interlocked.Read(ref _refused)); }
    }

    /// <summary>Connections accepted since start (metrics).</summary>
    public long Accepted => Interlocked.Read(ref _accepted);

    public void Start() => _acceptLoop = AcceptLoopAsync();

    /// <summary>One open connection: idle while it waits for the first byte of a query.</summary>
    private sealed class Connection(Socket socket, Client client, CancellationToken stop)
    {
        public Socket Socket { get; } = socket;
        public Client Client { get; } = client;
        public CancellationTokenSource Cancel { get; } = CancellationTokenSource.CreateLinkedTokenSource(stop);
        public volatile bool Idle = true;
        public long IdleSince = Stopwatch.GetTimestamp();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try { socket = await _socket.AcceptAsync(_stop.Token); }
            catch (OperationCanceledException) { return; }
            catch (ObjectDisposedException) { return; }
            catch (SocketException ex)
            {
                LogAcceptError(_logger, LocalEndPoint, ex.SocketErrorCode);
                await Task.Delay(10);                               // e.g. out of file descriptors: do not spin
                continue;
            }
            var client = socket.RemoteEndPoint is IPEndPoint remote ? Client.From(remote.Address, AnswerEngine.Transport.Tcp) : default;
            var connection = new Connection(socket, client, _stop.Token);
            Interlocked.Increment(ref _accepted);
            if (!Admit(connection))
            {
                Interlocked.Increment(ref _refused);
                socket.Dispose();
                connection.Cancel.Dispose();
                continue;
            }
            _ = ServeAsync(connection);
        }
    }

    /// <summary>Makes room for <paramref name="connection"/> by closing an idle one where a limit is reached; false when no room can be made.</summary>
    private bool Admit(Connection connection)
    {
        Connection? victim = null;
        lock (_open)
        {
            int sameClient = 0;
            Connection? oldestIdle = null, oldestIdleOfClient = null;
            foreach (var c in _open)
            {
                bool same = c.Client.IsV4 == connection.Client.IsV4 && c.Client.Address == connection.Client.Address;
                if (same) sameClient++;
                if (!c.Idle) continue;
                if (oldestIdle is null || c.IdleSince < oldestIdle.IdleSince) oldestIdle = c;
                if (same && (oldestIdleOfClient is null || c.IdleSince < oldestIdleOfClient.IdleSince)) oldestIdleOfClient = c;
            }
            bool full = false;
            if (sameClient >= _limits.MaxPerClient) { victim = oldestIdleOfClient; full = true; }
            else if (_open.Count >= _limits.MaxConnections) { victim = oldestIdle; full = true; }
            if (full && victim is null) return false;               // every connection is busy: the new one goes
            if (victim is not null) _open.Remove(victim);
            _open.Add(connection);
        }
        if (victim is not null)
        {
            Interlocked.Increment(ref _evicted);
            try { victim.Cancel.Cancel(); }                         // its read ends; ServeAsync closes the socket
            catch (ObjectDisposedException) { }                     // it ended by itself meanwhile
        }
        return true;
    }

    private async Task ServeAsync(Connection c)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(65535);
        var response = ArrayPool<byte>.Shared.Rent(2 + AnswerEngine.MaxTcp);
        var token = c.Cancel.Token;
        try
        {
            using (c.Socket)
            {
                while (!token.IsCancellationRequested)
                {
                    c.IdleSince = Stopwatch.GetTimestamp();
                    c.Idle = true;
                    c.Cancel.CancelAfter(_limits.IdleTimeout);
                    if (!await ReadExactlyAsync(c.Socket, buffer.AsMemory(0, 2), token)) return;
                    c.Idle = false;
                    int length = BinaryPrimitives.ReadUInt16BigEndian(buffer);
                    if (length == 0 || !await ReadExactlyAsync(c.Socket, buffer.AsMemory(0, length), token)) return;
                    // a zone transfer streams many messages; each one sent gives the connection another idle timeout
                    if (_transfers is not null && await _transfers.TryServeAsync(buffer.AsMemory(0, length), c.Client, c.Socket, () => c.Cancel.CancelAfter(_limits.IdleTimeout), token)) continue;
                    int m = _engine.Answer(buffer.AsSpan(0, length), response.AsSpan(2, AnswerEngine.MaxTcp), c.Client);
                    if (m == 0) return;                                   // not a query: nothing sensible to say on this stream
                    BinaryPrimitives.WriteUInt16BigEndian(response, (ushort)m);
                    await c.Socket.SendAsync(response.AsMemory(0, 2 + m), SocketFlags.None, token);
                }
            }
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // the client went away, idled out or was closed to make room: nothing to report
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            ArrayPool<byte>.Shared.Return(response);
            lock (_open) _open.Remove(c);
            c.Cancel.Dispose();
        }
    }

    private static async Task<bool> ReadExactlyAsync(Socket socket, Memory<byte> destination, CancellationToken token)
    {
        int read = 0;
        while (read < destination.Length)
        {
            int n = await socket.ReceiveAsync(destination[read..], SocketFlags.None, token);
            if (n == 0) return false;
            read += n;
        }
        return true;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _socket.Dispose();
        try { _acceptLoop?.Wait(TimeSpan.FromSeconds(2)); } catch (AggregateException) { }
        _stop.Dispose();
    }

    [LoggerMessage(310, LogLevel.Warning, "TCP {Endpoint}: accept failed: {Error}")]
    private static partial void LogAcceptError(ILogger logger, IPEndPoint endpoint, SocketError error);
}

/// <summary>The TCP limits (settings Server:TcpMaxConnections, Server:TcpMaxPerClient, Server:TcpIdleTimeout).</summary>
internal sealed record TcpLimits(int MaxConnections, int MaxPerClient, TimeSpan IdleTimeout);
