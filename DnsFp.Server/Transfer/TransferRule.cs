using System.Diagnostics.CodeAnalysis;
using System.Net;
using DnsFp.Server.Lifecycle;

namespace DnsFp.Server.Transfer;

/// <summary>
/// One line of Transfer:Allow or Transfer:Notify: "192.0.2.0/24 keyname", "192.0.2.53@5353 NOKEY" (NSD's notation).
/// For Allow the address is a range; for Notify it is one address with an optional port (default 53).
/// </summary>
internal sealed record TransferRule(AddressRange Range, int Port, string? KeyName)
{
    public const string NoKey = "NOKEY";

    public IPEndPoint Endpoint => new(Range.Network.BaseAddress, Port);

    public static bool TryParse(string text, bool requirePort, [NotNullWhen(true)] out TransferRule? rule, [NotNullWhen(false)] out string? problem)
    {
        rule = null;
        var parts = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2)
        {
            problem = $"'{text}': expected an address and a key name (or {NoKey}), e.g. '192.0.2.53 xfr-key'";
            return false;
        }
        string address = parts[0];
        int port = 53;
        int at = address.LastIndexOf('@');
        if (at >= 0)
        {
            if (!int.TryParse(address.AsSpan(at + 1), out port) || port is < 1 or > 65535) { problem = $"'{text}': port after '@' must be 1-65535"; return false; }
            address = address[..at];
        }
        if (!AddressRange.TryParse(address, out var range, out problem)) { problem = $"'{text}': {problem}"; return false; }
        if (requirePort && range.Value.Network.PrefixLength != (range.Value.IsV4 ? 32 : 128))
        {
            problem = $"'{text}': a NOTIFY target is one address, not a range";
            return false;
        }
        string key = parts[1];
        rule = new TransferRule(range.Value, port, key.Equals(NoKey, StringComparison.OrdinalIgnoreCase) ? null : key.TrimEnd('.').ToLowerInvariant());
        problem = null;
        return true;
    }
}
