using System.Text;

namespace DnsFp.Contract;

/// <summary>
/// What an OS label may look like once it is in Redis, and how its class is found. A label is what a source
/// names ("Windows 2000 RFC1323", "Linux 2.6.x"); its class is the first word ("Windows"), unless the source
/// says otherwise. Labels end up in TXT records, so they are kept printable ASCII and short.
/// </summary>
public static class OsLabel
{
    /// <summary>The label of an address that was seen but could not be fingerprinted, and of verdicts for
    /// addresses no source has fingerprinted.</summary>
    public const string Unknown = "Unknown";

    public const int MaxLength = 120;

    // Sources repeat a few hundred labels millions of times: normalise each once.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> Normalized = new(StringComparer.Ordinal);

    /// <summary>Printable ASCII, single spaces, at most <see cref="MaxLength"/> characters; "unknown" in any case is <see cref="Unknown"/>.</summary>
    public static string Normalize(string raw)
    {
        if (Normalized.TryGetValue(raw, out var known)) return known;
        var label = NormalizeUncached(raw);
        if (Normalized.Count < 100_000) Normalized.TryAdd(raw, label);
        return label;
    }

    private static string NormalizeUncached(string raw)
    {
        var sb = new StringBuilder(Math.Min(raw.Length, MaxLength));
        bool space = false;
        foreach (char c in raw.Trim())
        {
            if (sb.Length >= MaxLength) break;
            if (char.IsWhiteSpace(c)) { space = sb.Length > 0; continue; }
            if (space) { sb.Append(' '); space = false; }
            sb.Append(c is >= '!' and <= '~' && c != '\t' ? c : '?');
        }
        var label = sb.ToString().TrimEnd();
        return label.Length == 0 || label.Equals("unknown", StringComparison.OrdinalIgnoreCase) || label == "?" ? Unknown : label;
    }

    /// <summary>The class of a label: its first word ("Windows 2000 RFC1323" → "Windows").</summary>
    public static string ClassOf(string label)
    {
        int space = label.IndexOf(' ', StringComparison.Ordinal);
        return space < 0 ? label : label[..space];
    }
}
