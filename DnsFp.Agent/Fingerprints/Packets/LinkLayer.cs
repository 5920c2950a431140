using System.Buffers.Binary;

namespace DnsFp.Agent.Fingerprints.Packets;

/// <summary>
/// Finds the IP datagram inside a captured frame for the link types mail hosts capture on: Ethernet (with 802.1Q /
/// 802.1ad tags), BSD loopback (NULL and LOOP), raw IP, Linux cooked (SLL and SLL2), PPP, OpenBSD pflog.
/// </summary>
internal static class LinkLayer
{
    public static bool IsSupported(int linkType) => linkType is 0 or 1 or 9 or 12 or 14 or 101 or 108 or 113 or 117 or 228 or 229 or 276;

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
}
