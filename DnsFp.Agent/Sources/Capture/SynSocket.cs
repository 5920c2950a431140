using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace DnsFp.Agent.Sources.Capture;

/// <summary>
/// A Linux packet socket (AF_PACKET, SOCK_DGRAM: IP datagrams without the link header) on one interface or all,
/// with a kernel BPF filter that passes only TCP segments with SYN set and ACK clear, so the agent is not woken
/// for the rest of the host's traffic. Needs CAP_NET_RAW, nothing more. Outgoing packets are ignored.
/// </summary>
internal sealed class SynSocket : IDisposable
{
    private const ushort EthPAll = 0x0003;
    private const int SolSocket = 1, SoAttachFilter = 26, SolPacket = 263, PacketIgnoreOutgoing = 23;

    // IPv4: TCP, not a later fragment, flags & (SYN|ACK) == SYN; IPv6: next header TCP, same flags. 262144 = whole packet.
    private static readonly (ushort Code, byte Jt, byte Jf, uint K)[] SynFilter =
    [
        (0x30, 0, 0, 0),        // 0  ldb [0]
        (0x54, 0, 0, 0xF0),     // 1  and #0xf0
        (0x15, 0, 6, 0x40),     // 2  jeq #0x40 (IPv4) else 9
        (0x30, 0, 0, 9),        // 3  ldb [9]        protocol
        (0x15, 0, 11, 6),       // 4  jeq #6 else drop
        (0x28, 0, 0, 6),        // 5  ldh [6]        flags/fragment offset
        (0x45, 9, 0, 0x1FFF),   // 6  jset #0x1fff drop
        (0xB1, 0, 0, 0),        // 7  ldxb 4*([0]&0xf)   IP header length
        (0x05, 0, 0, 4),        // 8  ja 13
        (0x15, 0, 6, 0x60),     // 9  jeq #0x60 (IPv6) else drop
        (0x30, 0, 0, 6),        // 10 ldb [6]        next header
        (0x15, 0, 4, 6),        // 11 jeq #6 else drop
        (0x01, 0, 0, 40),       // 12 ldx #40
        (0x50, 0, 0, 13),       // 13 ldb [x+13]     TCP flags
        (0x54, 0, 0, 0x12),     // 14 and #(SYN|ACK)
        (0x15, 1, 0, 0x02),     // 15 jeq #SYN accept
        (0x06, 0, 0, 0),        // 16 ret #0
        (0x06, 0, 0, 262144),   // 17 ret #262144
    ];

    private readonly Socket _socket;

    public SynSocket(string interfaceName, TimeSpan receiveTimeout)
    {
        int index = InterfaceIndex(interfaceName) ?? throw new IOException($"network interface '{interfaceName}' does not exist");
        _socket = new Socket(AddressFamily.Packet, SocketType.Dgram, (ProtocolType)System.Net.IPAddress.HostToNetworkOrder((short)EthPAll));
        try
        {
            AttachFilter();
            _socket.SetRawSocketOption(SolPacket, PacketIgnoreOutgoing, BitConverter.GetBytes(1));
            _socket.Bind(new LinkLayerEndPoint(index, EthPAll));
            _socket.ReceiveTimeout = (int)receiveTimeout.TotalMilliseconds;
            _socket.ReceiveBufferSize = 4 << 20;
        }
        catch
        {
            _socket.Dispose();
            throw;
        }
    }

    /// <summary>Blocks up to the receive timeout; 0 when nothing arrived.</summary>
    public int Receive(byte[] buffer)
    {
        try { return _socket.Receive(buffer); }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock) { return 0; }
    }

    public void Dispose() => _socket.Dispose();

    /// <summary>The kernel's index of a network interface, 0 for "any" (every interface); null when there is no such interface.</summary>
    public static int? InterfaceIndex(string name)
    {
        if (name == "any") return 0;
        var path = $"/sys/class/net/{name}/ifindex";
        if (name.Contains('/') || !File.Exists(path)) return null;
        return int.Parse(File.ReadAllText(path).Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private void AttachFilter()
    {
        var program = new byte[SynFilter.Length * 8];
        for (int i = 0; i < SynFilter.Length; i++)
        {
            var (code, jt, jf, k) = SynFilter[i];
            BitConverter.TryWriteBytes(program.AsSpan(i * 8), code);
            program[i * 8 + 2] = jt;
            program[i * 8 + 3] = jf;
            BitConverter.TryWriteBytes(program.AsSpan(i * 8 + 4), k);
        }
        // struct sock_fprog { unsigned short len; struct sock_filter *filter; }: the kernel copies the program during the call.
        var handle = GCHandle.Alloc(program, GCHandleType.Pinned);
        try
        {
            var fprog = new byte[2 * IntPtr.Size];
            BitConverter.TryWriteBytes(fprog, (ushort)SynFilter.Length);
            if (IntPtr.Size == 8) BitConverter.TryWriteBytes(fprog.AsSpan(8), (long)handle.AddrOfPinnedObject());
            else BitConverter.TryWriteBytes(fprog.AsSpan(4), (int)handle.AddrOfPinnedObject());
            _socket.SetRawSocketOption(SolSocket, SoAttachFilter, fprog);
        }
        finally { handle.Free(); }
    }
}
