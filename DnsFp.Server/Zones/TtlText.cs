using System.Globalization;

namespace DnsFp.Server.Zones;

/// <summary>TTLs as BIND writes them: "3600", "1h", "1w2d", "1H30M" (RFC 1035 allows plain seconds only; everyone uses units).</summary>
internal static class TtlText
{
    public static bool TryParse(string text, out uint seconds)
    {
        seconds = 0;
        if (text.Length == 0 || !char.IsAsciiDigit(text[0])) return false;
        if (uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out seconds)) return true;
        ulong total = 0, number = 0;
        bool digits = false;
        foreach (char c in text)
        {
            if (char.IsAsciiDigit(c)) { number = number * 10 + (ulong)(c - '0'); digits = true; if (number > uint.MaxValue) return false; continue; }
            ulong unit = char.ToLowerInvariant(c) switch { 's' => 1, 'm' => 60, 'h' => 3600, 'd' => 86400, 'w' => 604800, _ => 0 };
            if (unit == 0 || !digits) return false;
            total += number * unit; number = 0; digits = false;
        }
        if (digits) return false;                               // "1h30": a number without its unit
        if (total > int.MaxValue) return false;                 // RFC 2181 8: TTLs are at most 2^31 - 1
        seconds = (uint)total;
        return true;
    }
}
