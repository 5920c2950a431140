using System.Buffers.Binary;
using System.Net;

namespace DnsFp.Agent.Fingerprints.Packets;

/// <summary>What one IP datagram turned out to be.</summary>
internal enum PacketKind { Syn, NotSyn, Malformed }

/// <summary>
/// Reads an IPv4 or IPv6 datagram (starting at the IP header) into a <see cref="TcpSyn"/> when it is a TCP segment
/// with SYN set. Non-TCP packets, later fragments and segments without SYN are <see cref="PacketKind.NotSyn"/>;
/// headers that contradict themselves or the capture are <see cref="PacketKind.Malformed"/>.
/// </summary>
internal static class TcpSynParser
{
    private const int TcpProtocol = 6;

    public static PacketKind Parse(ReadOnlySpan<byte> ip, out TcpSyn? syn)
    {
        syn = null;
        if (ip.Length < 1) return PacketKind.Malformed;
        return (ip[0] >> 4) switch
        {
            4 => ParseV4(ip, out syn),
            6 => ParseV6(ip, out syn),
            _ => PacketKind.Malformed,
        };
    }

    private static PacketKind ParseV4(ReadOnlySpan<byte> ip, out TcpSyn? syn)
    {
        syn = null;
        if (ip.Length < 20) return PacketKind.Malformed;
        int headerLength = (ip[0] & 0x0F) * 4;
        int total = BinaryPrimitives.ReadUInt16BigEndian(ip[2..]);
        if (headerLength < 20 || headerLength > ip.Length || total < headerLength) return PacketKind.Malformed;
        if (ip[9] != TcpProtocol) return PacketKind.NotSyn;
        int flagsAndOffset = BinaryPrimitives.ReadUInt16BigEndian(ip[6..]);
        if ((flagsAndOffset & 0x1FFF) != 0) return PacketKind.NotSyn;   // a later fragment carries no TCP header
        int captured = Math.Min(ip.Length, total);                     // past the IP length is link padding
        var header = new IpPart(new IPAddress(ip.Slice(12, 4)), new IPAddress(ip.Slice(16, 4)), 4, ip[8], headerLength, total, captured,
            flagsAndOffset, BinaryPrimitives.ReadUInt16BigEndian(ip[4..]), ip[1], 0, false);
        return ParseTcp(ip[..captured], headerLength, header, out syn);
    }

    private static PacketKind ParseV6(ReadOnlySpan<byte> ip, out TcpSyn? syn)
    {
        syn = null;
        if (ip.Length < 40) return PacketKind.Malformed;
        uint versionClassFlow = BinaryPrimitives.ReadUInt32BigEndian(ip);
        int total = 40 + BinaryPrimitives.ReadUInt16BigEndian(ip[4..]);
        int captured = Math.Min(ip.Length, total);
        int next = ip[6], offset = 40;
        // Walk the extension headers pf walks; p0f only reads TCP right after the fixed header (ViaExtensionHeaders).
        while (next != TcpProtocol)
        {
            if (next is 0 or 43 or 60)
            {
                if (offset + 8 > captured) return PacketKind.Malformed;
                int length = (ip[offset + 1] + 1) * 8;
                next = ip[offset];
                offset += length;
            }
            else if (next == 44)
            {
                if (offset + 8 > captured) return PacketKind.Malformed;
                if ((BinaryPrimitives.ReadUInt16BigEndian(ip[(offset + 2)..]) & 0xFFF8) != 0) return PacketKind.NotSyn;
                next = ip[offset];
                offset += 8;
            }
            else return PacketKind.NotSyn;
            if (offset > captured) return PacketKind.Malformed;
        }
        var header = new IpPart(new IPAddress(ip.Slice(8, 16)), new IPAddress(ip.Slice(24, 16)), 6, ip[7], 40, total, captured, 0, 0,
            (int)(versionClassFlow >> 20) & 0xFF, (int)(versionClassFlow & 0xFFFFF), offset != 40);
        return ParseTcp(ip[..captured], offset, header, out syn);
    }

    private readonly record struct IpPart(IPAddress Source, IPAddress Destination, int Version, int Ttl, int HeaderLength, int Total,
        int Captured, int FlagsAndOffset, int Id, int TrafficClass, int FlowLabel, bool ViaExtensionHeaders);

    private static PacketKind ParseTcp(ReadOnlySpan<byte> datagram, int tcpOffset, IpPart ip, out TcpSyn? syn)
    {
        syn = null;
        var tcp = datagram[tcpOffset..];
        if (tcp.Length < 20) return PacketKind.Malformed;
        int flags = tcp[13];
        if ((flags & TcpSyn.Syn) == 0) return PacketKind.NotSyn;
        int headerLength = (tcp[12] >> 4) * 4;
        // A first fragment may end inside the TCP options: kept (pf finds no fingerprint in it, p0f skips fragments).
        bool firstFragment = (ip.FlagsAndOffset & 0x2000) != 0;
        if (headerLength < 20 || (tcpOffset + headerLength > ip.Total && !firstFragment)) return PacketKind.Malformed;
        int optionBytes = Math.Min(headerLength, tcp.Length) - 20;
        syn = new TcpSyn
        {
            Source = ip.Source,
            Destination = ip.Destination,
            IpVersion = ip.Version,
            Ttl = ip.Ttl,
            IpHeaderLength = ip.HeaderLength,
            IpTotalLength = ip.Total,
            CapturedLength = ip.Captured,
            Ipv4FlagsAndOffset = ip.FlagsAndOffset,
            Ipv4Id = ip.Id,
            TrafficClass = ip.TrafficClass,
            FlowLabel = ip.FlowLabel,
            ViaExtensionHeaders = ip.ViaExtensionHeaders,
            SourcePort = BinaryPrimitives.ReadUInt16BigEndian(tcp),
            DestinationPort = BinaryPrimitives.ReadUInt16BigEndian(tcp[2..]),
            TcpFlags = flags,
            TcpReservedBits = tcp[12] & 0x0F,
            Sequence = BinaryPrimitives.ReadUInt32BigEndian(tcp[4..]),
            Acknowledgment = BinaryPrimitives.ReadUInt32BigEndian(tcp[8..]),
            Window = BinaryPrimitives.ReadUInt16BigEndian(tcp[14..]),
            UrgentPointer = BinaryPrimitives.ReadUInt16BigEndian(tcp[18..]),
            TcpHeaderLength = headerLength,
            Options = tcp.Slice(20, optionBytes).ToArray(),
            PayloadLength = Math.Max(0, ip.Total - tcpOffset - headerLength),
        };
        return PacketKind.Syn;
    }
}
