using System.Buffers.Binary;
using System.Net;

namespace DnsFp.Tests.Support;

/// <summary>
/// Builds TCP SYN datagrams (IPv4 or IPv6, starting at the IP header) field by field, so tests can put every
/// window, TTL, option and quirk the fingerprint databases look at on the wire. Checksums are computed.
/// </summary>
public sealed record SynBuilder
{
    public IPAddress Source { get; init; } = IPAddress.Parse("192.0.2.1");
    public IPAddress Destination { get; init; } = IPAddress.Parse("198.51.100.25");
    public int SourcePort { get; init; } = 40000;
    public int DestinationPort { get; init; } = 25;
    public int Ttl { get; init; } = 64;
    public bool DontFragment { get; init; } = true;
    public int IpId { get; init; } = 0x1234;
    /// <summary>IPv4 TOS / IPv6 traffic class.</summary>
    public int TrafficClass { get; init; }
    public int FlowLabel { get; init; }
    public bool ReservedIpFlag { get; init; }
    public byte[] IpOptions { get; init; } = [];
    public int Flags { get; init; } = 0x02;
    public uint Sequence { get; init; } = 0x11223344;
    public uint Acknowledgment { get; init; }
    public int Window { get; init; } = 29200;
    public int UrgentPointer { get; init; }
    public int ReservedTcpBits { get; init; }
    /// <summary>Raw option bytes, padded with zeros (EOL) to a multiple of 4.</summary>
    public byte[] Options { get; init; } = Mss(1460);
    public byte[] Payload { get; init; } = [];
    /// <summary>IPv4 only: set More Fragments and/or an offset (in 8-byte units).</summary>
    public bool MoreFragments { get; init; }
    public int FragmentOffset { get; init; }

    public static byte[] Mss(int value) => [2, 4, (byte)(value >> 8), (byte)value];
    public static byte[] WindowScale(int shift) => [3, 3, (byte)shift];
    public static byte[] SackPermitted => [4, 2];
    public static byte[] Nop => [1];
    public static byte[] Eol => [0];
    public static byte[] Timestamp(uint value, uint echo = 0) =>
        [8, 10, (byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value, (byte)(echo >> 24), (byte)(echo >> 16), (byte)(echo >> 8), (byte)echo];
    public static byte[] Join(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    /// <summary>Linux's SYN: mss, sok, ts, nop, ws.</summary>
    public static byte[] LinuxOptions(int mss = 1460, int scale = 7, uint ts = 12345) => Join(Mss(mss), SackPermitted, Timestamp(ts), Nop, WindowScale(scale));

    public byte[] Build()
    {
        var options = Options.Concat(new byte[(4 - Options.Length % 4) % 4]).ToArray();
        int tcpLength = 20 + options.Length;
        var tcp = new byte[tcpLength + Payload.Length];
        BinaryPrimitives.WriteUInt16BigEndian(tcp, (ushort)SourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(tcp.AsSpan(2), (ushort)DestinationPort);
        BinaryPrimitives.WriteUInt32BigEndian(tcp.AsSpan(4), Sequence);
        BinaryPrimitives.WriteUInt32BigEndian(tcp.AsSpan(8), Acknowledgment);
        tcp[12] = (byte)((tcpLength / 4) << 4 | (ReservedTcpBits & 0x0F));
        tcp[13] = (byte)Flags;
        BinaryPrimitives.WriteUInt16BigEndian(tcp.AsSpan(14), (ushort)Window);
        BinaryPrimitives.WriteUInt16BigEndian(tcp.AsSpan(18), (ushort)UrgentPointer);
        options.CopyTo(tcp, 20);
        Payload.CopyTo(tcp, tcpLength);
        bool v6 = Source.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
        BinaryPrimitives.WriteUInt16BigEndian(tcp.AsSpan(16), Checksum(PseudoHeader(v6, tcp.Length).Concat(tcp).ToArray()));
        return v6 ? Ipv6(tcp) : Ipv4(tcp);
    }

    private byte[] PseudoHeader(bool v6, int tcpLength)
    {
        var addresses = Source.GetAddressBytes().Concat(Destination.GetAddressBytes());
        return v6
            ? addresses.Concat(new byte[] { (byte)(tcpLength >> 24), (byte)(tcpLength >> 16), (byte)(tcpLength >> 8), (byte)tcpLength, 0, 0, 0, 6 }).ToArray()
            : addresses.Concat(new byte[] { 0, 6, (byte)(tcpLength >> 8), (byte)tcpLength }).ToArray();
    }

    private byte[] Ipv4(byte[] tcp)
    {
        var options = IpOptions.Concat(new byte[(4 - IpOptions.Length % 4) % 4]).ToArray();
        int headerLength = 20 + options.Length;
        var ip = new byte[headerLength + tcp.Length];
        ip[0] = (byte)(0x40 | headerLength / 4);
        ip[1] = (byte)TrafficClass;
        BinaryPrimitives.WriteUInt16BigEndian(ip.AsSpan(2), (ushort)ip.Length);
        BinaryPrimitives.WriteUInt16BigEndian(ip.AsSpan(4), (ushort)IpId);
        int flags = (ReservedIpFlag ? 0x8000 : 0) | (DontFragment ? 0x4000 : 0) | (MoreFragments ? 0x2000 : 0) | FragmentOffset;
        BinaryPrimitives.WriteUInt16BigEndian(ip.AsSpan(6), (ushort)flags);
        ip[8] = (byte)Ttl;
        ip[9] = 6;
        Source.GetAddressBytes().CopyTo(ip, 12);
        Destination.GetAddressBytes().CopyTo(ip, 16);
        options.CopyTo(ip, 20);
        BinaryPrimitives.WriteUInt16BigEndian(ip.AsSpan(10), Checksum(ip.AsSpan(0, headerLength).ToArray()));
        tcp.CopyTo(ip, headerLength);
        return ip;
    }

    private byte[] Ipv6(byte[] tcp)
    {
        var ip = new byte[40 + tcp.Length];
        BinaryPrimitives.WriteUInt32BigEndian(ip, (uint)(6 << 28 | (TrafficClass & 0xFF) << 20 | (FlowLabel & 0xFFFFF)));
        BinaryPrimitives.WriteUInt16BigEndian(ip.AsSpan(4), (ushort)tcp.Length);
        ip[6] = 6;
        ip[7] = (byte)Ttl;
        Source.GetAddressBytes().CopyTo(ip, 8);
        Destination.GetAddressBytes().CopyTo(ip, 24);
        tcp.CopyTo(ip, 40);
        return ip;
    }

    private static ushort Checksum(byte[] data)
    {
        uint sum = 0;
        for (int i = 0; i < data.Length; i += 2) sum += (uint)(data[i] << 8 | (i + 1 < data.Length ? data[i + 1] : 0));
        while (sum >> 16 != 0) sum = (sum & 0xFFFF) + (sum >> 16);
        return (ushort)~sum;
    }
}
