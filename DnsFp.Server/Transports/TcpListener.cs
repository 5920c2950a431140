using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using DnsFp.Server.Engine;
using Microsoft.Extensions.Logging;

namespace DnsFp.Server.Transports;

/// <summary>
/// DNS over TCP (RFC 1035 4.2.2, RFC 7766): two-byte length framing, several queries per connection answered in
/// order, idle connections closed after <see cref="IdleTimeout"/>, at most <see cref="MaxConnections"/> at once.
/// Answers are never truncated here.
/// </summary>
internal sealed partial class DnsTcpListener : IDisposable
{
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(10);
    public const int MaxConnections = 512;

    private readonly Socket _socket;
    private readonly AnswerEngine _engine;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _slots = new(MaxConnections);
    private Task? _acceptLoop;

    public DnsTcpListener(IPEndPoint endpoint, AnswerEngine engine, ILogger logger)
    {
        _engine = engine; _logger = logger;
        _socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        if (endpoint.AddressFamily == AddressFamily.InterNetworkV6) _socket.DualMode = false;
        _socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _socket.Bind(endpoint);
        _socket.Listen(512);
        LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;
    }

    public IPEndPoint LocalEndPoint { get; }

    public void Start() => _acceptLoop = AcceptLoopAsync();

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                await _slots.WaitAsync(_stop.Token);
                client = await _socket.AcceptAsync(_stop.Token);
            }
            catch (OperationCanceledException) { return; }
            catch (ObjectDisposedException) { return; }
            catch (SocketException ex)
            {
                _slots.Release();
                LogAcceptError(_logger, LocalEndPoint, ex.SocketErrorCode);
                continue;
            }
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(Socket client)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(65535);
        var response = ArrayPool<byte>.Shared.Rent(2 + AnswerEngine.MaxTcp);
        try
        {
            using (client)
            {
                while (!_stop.IsCancellationRequested)
                {
                    using var idle = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                    idle.CancelAfter(IdleTimeout);
                    if (!await ReadExactlyAsync(client, buffer.AsMemory(0, 2), idle.Token)) return;
                    int length = BinaryPrimitives.ReadUInt16BigEndian(buffer);
                    if (length == 0 || !await ReadExactlyAsync(client, buffer.AsMemory(0, length), idle.Token)) return;
                    int m = _engine.Answer(buffer.AsSpan(0, length), response.AsSpan(2, AnswerEngine.MaxTcp), AnswerEngine.Transport.Tcp);
                    if (m == 0) return;                                   // not a query: nothing sensible to say on this stream
                    BinaryPrimitives.WriteUInt16BigEndian(response, (ushort)m);
                    await client.SendAsync(response.AsMemory(0, 2 + m), SocketFlags.None, idle.Token);
                }
            }
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // the client went away or idled out: nothing to report
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            ArrayPool<byte>.Shared.Return(response);
            _slots.Release();
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
