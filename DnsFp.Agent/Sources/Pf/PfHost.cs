using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace DnsFp.Agent.Sources.Pf;

/// <summary>
/// A host as pfctl's print_host() writes it: "a.b.c.d:port", "a.b.c.d" (port 0), "2001:db8::1[port]", "2001:db8::1".
/// </summary>
internal static class PfHost
{
    public static bool TryParse(string token, out IPAddress address)
    {
        address = IPAddress.None;
        string host = token;
        int bracket = token.IndexOf('[', StringComparison.Ordinal);
        if (bracket > 0 && token.EndsWith(']'))
        {
            if (!ushort.TryParse(token.AsSpan(bracket + 1, token.Length - bracket - 2), NumberStyles.None, CultureInfo.InvariantCulture, out _)) return false;
            host = token[..bracket];
        }
        else if (token.Count(c => c == ':') == 1)
        {
            int colon = token.IndexOf(':', StringComparison.Ordinal);
            if (!ushort.TryParse(token.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out _)) return false;
            host = token[..colon];
        }
        if (!IPAddress.TryParse(host, out var parsed)) return false;
        if (parsed.AddressFamily == AddressFamily.InterNetwork && host.Count(c => c == '.') != 3) return false;   // "10" is not a host
        address = parsed;
        return true;
    }
}
