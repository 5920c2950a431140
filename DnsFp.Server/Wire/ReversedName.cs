namespace DnsFp.Server.Wire;

/// <summary>
/// A DNSBL key read straight from the wire labels before the zone (RFC 5782 2.1 and 2.4): "d.c.b.a" is the IPv4
/// address a.b.c.d; 32 one-nibble labels are an IPv6 address, least significant nibble first. No strings are made.
/// Choice: an octet with a leading zero ("01") is malformed, as the runtime's canonical IPv4 check says, because a
/// DNSBL client never writes one and accepting it would give two names for one address.
/// </summary>
internal static class ReversedName
{
    public enum Kind
    {
        Malformed,
        Partial,
        IPv4,
        /// <summary>Four labels that are an IPv4 name and also the first four nibbles of IPv6 names ("1.0.0.2"): if no IPv4 listing, an empty non-terminal.</summary>
        IPv4AlsoNibblePrefix,
        IPv6,
    }

    /// <summary>
    /// Classifies the labels (wire form, no zone, no final zero) and reads the address. Partial means a proper
    /// prefix of a key ("0.127" or fewer than 32 nibbles): an empty non-terminal, answered NODATA, never NXDOMAIN.
    /// </summary>
    public static Kind Read(ReadOnlySpan<byte> labels, int labelCount, out uint v4, out UInt128 v6)
    {
        v4 = 0; v6 = 0;
        if (labelCount == 4 && TryReadV4(labels, out v4)) return TryReadNibbles(labels, 4, out _) ? Kind.IPv4AlsoNibblePrefix : Kind.IPv4;
        if (labelCount <= 32 && TryReadNibbles(labels, labelCount, out v6))
        {
            if (labelCount < 32) return Kind.Partial;
            if (v6 >> 32 == 0xFFFF) { v4 = (uint)v6; return Kind.IPv4; }   // ::ffff:a.b.c.d is the IPv4 address
            return Kind.IPv6;
        }
        if (labelCount < 4 && AllOctets(labels)) return Kind.Partial;
        return Kind.Malformed;
    }

    private static bool TryReadV4(ReadOnlySpan<byte> labels, out uint address)
    {
        address = 0;
        for (int i = 0; i < 4; i++)
        {
            if (!TryReadOctet(labels, out int octet, out int used)) return false;
            address |= (uint)octet << (8 * i);                            // the first label is the last octet
            labels = labels[used..];
        }
        return labels.IsEmpty;
    }

    private static bool TryReadOctet(ReadOnlySpan<byte> labels, out int octet, out int used)
    {
        octet = 0; used = 0;
        int len = labels.IsEmpty ? 0 : labels[0];
        if (len is < 1 or > 3 || labels.Length < 1 + len || (len > 1 && labels[1] == '0')) return false;
        foreach (byte c in labels.Slice(1, len))
        {
            if ((uint)(c - '0') > 9) return false;
            octet = octet * 10 + c - '0';
        }
        used = 1 + len;
        return octet <= 255;
    }

    private static bool AllOctets(ReadOnlySpan<byte> labels)
    {
        while (!labels.IsEmpty)
        {
            if (!TryReadOctet(labels, out _, out int used)) return false;
            labels = labels[used..];
        }
        return true;
    }

    private static bool TryReadNibbles(ReadOnlySpan<byte> labels, int labelCount, out UInt128 address)
    {
        address = 0;
        for (int i = 0; i < labelCount; i++)
        {
            if (labels.Length < 2 || labels[0] != 1) return false;
            int nibble = HexValue(labels[1]);
            if (nibble < 0) return false;
            address |= (UInt128)(uint)nibble << (4 * i);                   // the first label is the last nibble
            labels = labels[2..];
        }
        return labels.IsEmpty;
    }

    private static int HexValue(byte c) => c switch
    {
        >= (byte)'0' and <= (byte)'9' => c - '0',
        >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => c - 'A' + 10,
        _ => -1,
    };
}
