using System.Text;

namespace DnsFp.Server.Wire;

/// <summary>Names in wire form (RFC 1035 3.1): building them from text at load time and comparing them without case.</summary>
internal static class WireName
{
    /// <summary>"fp.example.org" or "fp.example.org." → wire bytes with the final zero, lower-cased. Throws on bad names (load time only).</summary>
    public static byte[] FromText(string name)
    {
        name = name.TrimEnd('.');
        if (name.Length == 0) return [0];
        var bytes = new List<byte>(name.Length + 2);
        foreach (var label in name.Split('.'))
        {
            var b = Encoding.ASCII.GetBytes(label.ToLowerInvariant());
            if (b.Length is 0 or > 63) throw new FormatException($"'{name}' has an empty label or one longer than 63 bytes");
            bytes.Add((byte)b.Length);
            bytes.AddRange(b);
        }
        bytes.Add(0);
        if (bytes.Count > Question.MaxNameLength) throw new FormatException($"'{name}' is longer than 255 bytes");
        return [.. bytes];
    }

    /// <summary>Wire form → dotted text without the final dot (for logs and tests).</summary>
    public static string ToText(ReadOnlySpan<byte> wire)
    {
        var sb = new StringBuilder();
        for (int pos = 0; pos < wire.Length && wire[pos] != 0; pos += 1 + wire[pos])
        {
            if (sb.Length > 0) sb.Append('.');
            sb.Append(Encoding.ASCII.GetString(wire.Slice(pos + 1, wire[pos])));
        }
        return sb.ToString();
    }

    /// <summary>ASCII case-insensitive equality of two wire names (labels' length bytes are below 'A', so they compare as themselves).</summary>
    public static bool EqualsIgnoreCase(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        if (a.Length != b.Length) return false;
        for (int i = 0; i < a.Length; i++)
        {
            if (a[i] != b[i] && ToLower(a[i]) != ToLower(b[i])) return false;
        }
        return true;
    }

    private static byte ToLower(byte c) => (uint)(c - 'A') <= 'Z' - 'A' ? (byte)(c | 0x20) : c;
}
