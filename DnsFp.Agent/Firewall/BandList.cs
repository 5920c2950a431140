using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Net;

namespace DnsFp.Agent.Firewall;

/// <summary>
/// The A values (bands) whose addresses the firewall gets, written as the MTA snippets write them: single values and
/// ranges, comma-separated ("127.0.0.18,127.0.0.19", "127.0.0.17-127.0.0.19"), all inside 127.0.0.0/8.
/// </summary>
internal sealed class BandList
{
    private readonly HashSet<uint> _values;

    private BandList(HashSet<uint> values) => _values = values;

    public bool Contains(uint band) => _values.Contains(band);

    public static bool TryParse(string text, [NotNullWhen(true)] out BandList? list, [NotNullWhen(false)] out string? problem)
    {
        list = null; problem = null;
        var values = new HashSet<uint>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var ends = part.Split('-', 2, StringSplitOptions.TrimEntries);
            if (!TryBand(ends[0], out uint first, out problem)) return false;
            uint last = first;
            if (ends.Length == 2 && !TryBand(ends[1], out last, out problem)) return false;
            if (last < first) { problem = $"'{part}' goes backwards"; return false; }
            if (last - first > 255) { problem = $"'{part}' spans more than 256 values"; return false; }
            for (uint v = first; v <= last; v++) values.Add(v);
        }
        if (values.Count == 0) { problem = $"'{text}' names no band (e.g. 127.0.0.19 or 127.0.0.18-127.0.0.19)"; return false; }
        list = new BandList(values);
        return true;
    }

    public static BandList Parse(string text) =>
        TryParse(text, out var list, out var problem) ? list : throw new FormatException(problem);

    private static bool TryBand(string text, out uint value, [NotNullWhen(false)] out string? problem)
    {
        value = 0; problem = null;
        if (!IPAddress.TryParse(text, out var address) || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
        {
            problem = $"'{text}' is not an IPv4 address such as 127.0.0.19";
            return false;
        }
        Span<byte> bytes = stackalloc byte[4];
        address.TryWriteBytes(bytes, out _);
        value = BinaryPrimitives.ReadUInt32BigEndian(bytes);
        if (bytes[0] != 127) { problem = $"'{text}' is outside 127.0.0.0/8, where every dnsfp band is"; return false; }
        return true;
    }
}
