using System.Buffers.Binary;

namespace DnsFp.Agent.Fingerprints.Packets;

/// <summary>
/// Finds the IP datagram inside a captured frame for the link types mail hosts capture on: Ethernet (with 802.1Q /
/// 802.1ad tags), BSD loopback (NULL and LOOP), raw IP, Linux cooked (SLL and SLL2), PPP, OpenBSD pflog.
/// </summary>
internal static class LinkLayer
{
    /// <summary>Link types read by their header; others fall back to <see cref="GuessOffset"/>.</summary>
    public static bool IsKnown(int linkType) => linkType is 0 or 1 or 9 or 12 or 14 or 101 or 108 or 113 or 117 or 228 or 229 or 276;

    /// <summary>The IP datagram, or empty when the frame carries something else (ARP, a non-IP ethertype).</summary>
    public static ReadOnlySpan<byte> IpDatagram(int linkType, ReadOnlySpan<byte> frame)
    {
        switch (linkType)
        {
            case 0 or 108: return frame.Length >= 4 ? frame[4..] : default;               // BSD loopback: 4-byte family
            case 12 or 14 or 101 or 228 or 229: return frame;                             // raw IP (v4/v6)
            case 9: return frame.Length >= 4 && frame[2] == 0 && frame[3] is 0x21 or 0x57 ? frame[4..] : default;   // PPP
            case 113: return frame.Length >= 16 && IsIp(BinaryPrimitives.ReadUInt16BigEndian(frame[14..])) ? frame[16..] : default;
            case 276: return frame.Length >= 20 && IsIp(BinaryPrimitives.ReadUInt16BigEndian(frame)) ? frame[20..] : default;
            case 117: return frame.Length >= 1 && frame[0] >= 4 && frame.Length >= (frame[0] + 3 & ~3) ? frame[(frame[0] + 3 & ~3)..] : default;
            case 1:
                {
                    int offset = 12;
                    while (frame.Length >= offset + 2)
                    {
                        int type = BinaryPrimitives.ReadUInt16BigEndian(frame[offset..]);
                        if (type is 0x8100 or 0x88A8) { offset += 4; continue; }    // VLAN tags
                        return IsIp(type) ? frame[(offset + 2)..] : default;
                    }
                    return default;
                }
            default: return default;
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
