using System.Net;

namespace DnsFp.Agent.Fingerprints.Packets;

/// <summary>
/// One TCP packet with the SYN flag set, as the IP and TCP headers carried it: every field either matcher
/// (pf.os or p0f.fp) reads, kept raw so that each applies its own reference's rules to it.
/// </summary>
internal sealed class TcpSyn
{
    public required IPAddress Source { get; init; }
    public required IPAddress Destination { get; init; }
    public required int SourcePort { get; init; }
    public required int DestinationPort { get; init; }

    /// <summary>4 or 6.</summary>
    public required int IpVersion { get; init; }
    /// <summary>IPv4 TTL or IPv6 hop limit.</summary>
    public required int Ttl { get; init; }
    /// <summary>IPv4 header with options (20-60), or 40 for IPv6.</summary>
    public required int IpHeaderLength { get; init; }
    /// <summary>IPv4 total length, or 40 + the IPv6 payload length.</summary>
    public required int IpTotalLength { get; init; }
    /// <summary>Bytes of the IP datagram actually captured (may be less than <see cref="IpTotalLength"/>).</summary>
    public required int CapturedLength { get; init; }
    /// <summary>IPv4 flags and fragment offset (the 16-bit field); 0 for IPv6.</summary>
    public required int Ipv4FlagsAndOffset { get; init; }
    public required int Ipv4Id { get; init; }
    /// <summary>IPv4 TOS byte or IPv6 traffic class (DSCP and ECN bits).</summary>
    public required int TrafficClass { get; init; }
    public required int FlowLabel { get; init; }
    /// <summary>IPv6 only: the TCP header did not follow the fixed header directly (extension headers in between).</summary>
    public required bool ViaExtensionHeaders { get; init; }

    public required int TcpFlags { get; init; }
    /// <summary>The low four bits of the data-offset byte (reserved bits and NS).</summary>
    public required int TcpReservedBits { get; init; }
    public required uint Sequence { get; init; }
    public required uint Acknowledgment { get; init; }
    public required int Window { get; init; }
    public required int UrgentPointer { get; init; }
    /// <summary>The TCP header length from the data offset (20-60).</summary>
    public required int TcpHeaderLength { get; init; }
    /// <summary>The option bytes (TCP header past the first 20 bytes); shorter than the header says when the capture cut them.</summary>
    public required byte[] Options { get; init; }
    /// <summary>TCP payload bytes the IP length says follow the header (first fragment: what this fragment carries).</summary>
    public required int PayloadLength { get; init; }

    public const int Fin = 0x01, Syn = 0x02, Rst = 0x04, Push = 0x08, Ack = 0x10, Urg = 0x20, Ece = 0x40, Cwr = 0x80;

    public bool DontFragment => (Ipv4FlagsAndOffset & 0x4000) != 0;
    public bool MoreFragments => (Ipv4FlagsAndOffset & 0x2000) != 0;
    public int FragmentOffset => Ipv4FlagsAndOffset & 0x1FFF;
    /// <summary>The whole TCP header (with its options) is in the capture.</summary>
    public bool HeaderComplete => Options.Length == TcpHeaderLength - 20;
}
