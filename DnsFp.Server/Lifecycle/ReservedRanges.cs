namespace DnsFp.Server.Lifecycle;

/// <summary>
/// Ranges no Internet sender can connect from, excluded by default (Listing:ExcludeReserved): an address from them in
/// an agent's data is internal mail or a misconfigured relay, never something a remote MTA will query. The RFC 5782
/// test entries are answered before any lookup, so excluding 127/8 does not touch them. The documentation ranges
/// (192.0.2/24, 198.51.100/24, 203.0.113/24, 2001:db8::/32) are deliberately not here: the sample data uses them.
/// </summary>
internal static class ReservedRanges
{
    public static readonly string[] Cidrs =
    [
        "0.0.0.0/8",          // "this network" (RFC 791)
        "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16",   // private (RFC 1918)
        "100.64.0.0/10",      // carrier-grade NAT (RFC 6598)
        "127.0.0.0/8",        // loopback
        "169.254.0.0/16",     // link-local
        "224.0.0.0/4",        // multicast
        "240.0.0.0/4",        // reserved, and the limited broadcast address
        "::/128", "::1/128",  // unspecified, loopback
        "fc00::/7",           // unique local (RFC 4193)
        "fe80::/10",          // link-local
        "ff00::/8",           // multicast
    ];
}
