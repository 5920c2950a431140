using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;

namespace DnsFp.Server.Lifecycle;

/// <summary>
/// One address or CIDR range as operators write it in exclusions and delistings: "192.0.2.7", "198.51.100.0/24",
/// "2001:db8::/32". Parsed with .NET's <see cref="IPNetwork"/>, plus the checks it leaves to the caller, with an error
/// that names the problem. IPv4-mapped IPv6 is taken as the IPv4 it maps, as DNS and the fold do.
/// </summary>
internal readonly record struct AddressRange(IPNetwork Network)
{
    public bool IsV4 => Network.BaseAddress.AddressFamily == AddressFamily.InterNetwork;

    /// <summary>"192.0.2.7" for a single address, else "198.51.100.0/24": the form stored and printed.</summary>
    public override string ToString() =>
        Network.PrefixLength == (IsV4 ? 32 : 128) ? Network.BaseAddress.ToString() : Network.ToString();

    public bool Contains(IPAddress address) => Network.Contains(DnsFp.Contract.Fact.Canonical(address));

    public (uint First, uint Last) V4Bounds()
    {
        uint first = BinaryPrimitives.ReadUInt32BigEndian(Network.BaseAddress.GetAddressBytes());
        uint size = Network.PrefixLength == 0 ? uint.MaxValue : (1u << (32 - Network.PrefixLength)) - 1;
        return (first, first + size);
    }

    public (UInt128 First, UInt128 Last) V6Bounds()
    {
        UInt128 first = BinaryPrimitives.ReadUInt128BigEndian(Network.BaseAddress.GetAddressBytes());
        UInt128 size = Network.PrefixLength == 0 ? UInt128.MaxValue : (UInt128.One << (128 - Network.PrefixLength)) - 1;
        return (first, first + size);
    }

    public static bool TryParse(string text, [NotNullWhen(true)] out AddressRange? range, [NotNullWhen(false)] out string? problem)
    {
        range = null;
        text = text.Trim();
        int slash = text.IndexOf('/', StringComparison.Ordinal);
        string addressText = slash < 0 ? text : text[..slash];
        // IPAddress.TryParse also takes "1" or "10.1" (inet_aton's short forms): an operator never means those
        bool writtenOut = addressText.Contains(':', StringComparison.Ordinal) || addressText.Count(c => c == '.') == 3;
        if (!writtenOut || !IPAddress.TryParse(addressText, out var address))
        {
            problem = $"'{text}' is not an IP address or CIDR range (write 192.0.2.7, 198.51.100.0/24 or 2001:db8::/32)";
            return false;
        }
        int max = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        int prefix = max;
        if (slash >= 0 && (!int.TryParse(text.AsSpan(slash + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out prefix) || prefix > max))
        {
            problem = $"'{text}': the prefix length after '/' must be 0 to {max}";
            return false;
        }
        if (address.IsIPv4MappedToIPv6 && prefix >= 96) { address = address.MapToIPv4(); prefix -= 96; }
        var network = new IPNetwork(Mask(address, prefix), prefix);
        if (!network.BaseAddress.Equals(address))
        {
            problem = $"'{text}' has bits set after the prefix; the range is {network}";
            return false;
        }
        range = new AddressRange(network);
        problem = null;
        return true;
    }

    public static AddressRange Parse(string text) => TryParse(text, out var r, out var problem) ? r.Value : throw new FormatException(problem);

    private static IPAddress Mask(IPAddress address, int prefix)
    {
        var bytes = address.GetAddressBytes();
        for (int i = 0; i < bytes.Length; i++)
        {
            int keep = Math.Clamp(prefix - i * 8, 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - keep));
        }
        return new IPAddress(bytes);
    }
}
