using System.Globalization;
using System.Net;

namespace DnsFp.Agent.Firewall;

/// <summary>
/// The address a listing's owner name stands for (the DNS contract, DESIGN.md): "d.c.b.a.ZONE" for IPv4 a.b.c.d,
/// 32 nibble labels lowest first for IPv6 (RFC 5782 2.4). Any other name of the zone (apex, NS host) is no listing.
/// </summary>
internal static class ListingName
{
    public static IPAddress? AddressOf(string owner, string zone)
    {
        if (owner.Length <= zone.Length + 1 || !owner.EndsWith(zone, StringComparison.OrdinalIgnoreCase) || owner[^(zone.Length + 1)] != '.') return null;
        var labels = owner[..^(zone.Length + 1)].Split('.');
        if (labels.Length == 4)
        {
            Span<byte> v4 = stackalloc byte[4];
            for (int i = 0; i < 4; i++)
            {
                if (labels[i].Length is 0 or > 3 || !byte.TryParse(labels[i], NumberStyles.None, CultureInfo.InvariantCulture, out v4[3 - i])) return null;
            }
            return new IPAddress(v4);
        }
        if (labels.Length == 32)
        {
            Span<byte> v6 = stackalloc byte[16];
            for (int i = 0; i < 32; i++)
            {
                if (labels[i].Length != 1 || !Uri.IsHexDigit(labels[i][0])) return null;
                int nibble = Convert.ToInt32(labels[i], 16);
                int index = 15 - i / 2;
                v6[index] |= (byte)(i % 2 == 0 ? nibble : nibble << 4);
            }
            var address = new IPAddress(v6);
            return address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        }
        return null;
    }
}
