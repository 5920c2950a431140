using System.Net;
using System.Net.Sockets;

namespace DnsFp.Agent.Sources.P0f;

/// <summary>
/// Asks p0f's API socket (p0f -s PATH) about addresses: one persistent connection, queries written back to back
/// and the replies read in order (p0f answers each connection's queries in sequence). Reconnects after errors.
/// </summary>
internal sealed class P0fApiClient(string socketPath) : IAsyncDisposable
{
    private Socket? _socket;

    public async Task<P0fApiReply[]> QueryAsync(IReadOnlyList<IPAddress> addresses, CancellationToken stop)
    {
        try
        {
            var socket = await ConnectedAsync(stop);
            var queries = new byte[addresses.Count * P0fApiQuery.Size];
            for (int i = 0; i < addresses.Count; i++) P0fApiQuery.Write(addresses[i], queries.AsSpan(i * P0fApiQuery.Size));
            await socket.SendAsync(queries, SocketFlags.None, stop);
            var replies = new P0fApiReply[addresses.Count];
            var buffer = new byte[P0fApiReply.Size];
            for (int i = 0; i < replies.Length; i++)
            {
                int read = 0;
                while (read < buffer.Length)
                {
                    int n = await socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None, stop);
                    if (n == 0) throw new IOException("p0f closed the API connection");
                    read += n;
                }
                if (!P0fApiReply.TryRead(buffer, out replies[i])) throw new IOException("p0f sent a reply with a wrong magic number");
            }
            return replies;
        }
        catch
        {
            _socket?.Dispose();
            _socket = null;
            throw;
        }
    }

    private async Task<Socket> ConnectedAsync(CancellationToken stop)
    {
        if (_socket is { Connected: true }) return _socket;
        _socket?.Dispose();
        _socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await _socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), stop);
        return _socket;
    }

    public ValueTask DisposeAsync()
    {
        _socket?.Dispose();
        return ValueTask.CompletedTask;
    }
}
