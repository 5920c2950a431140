using System.Buffers.Binary;

namespace DnsFp.Agent.Fingerprints.Packets;

/// <summary>
/// Finds the IP datagram inside a captured frame for the link types mail hosts capture on: Ethernet (with 802.1Q /
/// 802.1ad tags), BSD loopback (NULL and LOOP), raw IP, Linux cooked (SLL and SLL2), PPP, OpenBSD pflog.
/// </summary>
internal static class LinkLayer
{
    /// <summary>
    /// The IP datagram in a frame of a link type with a header reader here (empty when the frame carries something
    /// else: ARP, a non-IP ethertype); false for other link types, which fall back to <see cref="GuessOffset"/>.
    /// </summary>
    public static bool TryIpDatagram(int linkType, ReadOnlySpan<byte> frame, out ReadOnlySpan<byte> datagram)
    {
        datagram = default;
        switch (linkType)
        {
            case 0 or 108:                                                                 // BSD loopback: 4-byte family
                if (frame.Length >= 4) datagram = frame[4..];
                return true;
            case 12 or 14 or 101 or 228 or 229:                                            // raw IP (v4/v6)
                datagram = frame;
                return true;
            case 9:                                                                        // PPP
                if (frame.Length >= 4 && frame[2] == 0 && frame[3] is 0x21 or 0x57) datagram = frame[4..];
                return true;
            case 113:
                if (frame.Length >= 16 && IsIp(BinaryPrimitives.ReadUInt16BigEndian(frame[14..]))) datagram = frame[16..];
                return true;
            case 276:
                if (frame.Length >= 20 && IsIp(BinaryPrimitives.ReadUInt16BigEndian(frame))) datagram = frame[20..];
                return true;
            case 117:
                if (frame.Length >= 1 && frame[0] >= 4 && frame.Length >= (frame[0] + 3 & ~3)) datagram = frame[(frame[0] + 3 & ~3)..];
                return true;
            case 1:
                for (int offset = 12; frame.Length >= offset + 2; offset += 4)
                {
                    int type = BinaryPrimitives.ReadUInt16BigEndian(frame[offset..]);
                    if (type is 0x8100 or 0x88A8) continue;                               // VLAN tags
                    if (IsIp(type)) datagram = frame[(offset + 2)..];
                    break;
                }
                return true;
            default:
                return false;
        }
    }

    private static bool IsIp(int etherType) => etherType is 0x0800 or 0x86DD;

    /// <summary>
    /// For link types not listed above: where an IP header carrying TCP starts in this frame, found as p0f does it
    /// (the first even offset below 40 holding an IPv4 header with protocol TCP, or an IPv6 header with next header
    /// TCP and room for it); null when none does.
    /// </summary>
    public static int? GuessOffset(ReadOnlySpan<byte> frame)
    {
        for (int i = 0, left = frame.Length; i < 40 && left >= 40; i += 2, left -= 2)
        {
            int version = frame[i] >> 4;
            if (version == 6 && left >= 60 && frame[i + 6] == 6) return i;
            if (version == 4 && frame[i + 9] == 6) return i;
        }
        return null;
    }
}
