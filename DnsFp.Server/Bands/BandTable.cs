namespace DnsFp.Server.Bands;

/// <summary>
/// The A values of DESIGN.md "Bands", defined once: 127.0.0.2 test entry, 127.0.0.3 unrated, 127.0.0.10 + d for a
/// spam ratio of d tenths (d = min(9, floor(ratio × 10))). Consecutive values inside 127.0.0.0/8 so that Exim "="
/// lists, Postfix ranges and SpamAssassin subtests can all match them.
/// </summary>
public static class BandTable
{
    public const uint TestEntry = 0x7F00_0002;        // 127.0.0.2, RFC 5782 3.
    public const uint NeverListed = 0x7F00_0001;      // 127.0.0.1, RFC 5782 3.: must never be listed
    public const uint Unrated = 0x7F00_0003;          // 127.0.0.3
    public const uint RatedBase = 0x7F00_000A;        // 127.0.0.10 = 0–9.9 % spam … 127.0.0.19 = 90–100 %

    /// <summary>The band of a label with these verdict counts; exact integer arithmetic, no floating point.</summary>
    public static uint Rated(long accepted, long rejected)
    {
        long total = accepted + rejected;
        if (total <= 0) return Unrated;
        return RatedBase + (uint)Math.Min(9, rejected * 10 / total);
    }

    public static string ToText(uint band) => $"127.{(band >> 16) & 0xFF}.{(band >> 8) & 0xFF}.{band & 0xFF}";

    /// <summary>What a band means, in the words the README and the deploy/ snippets use.</summary>
    public static string Meaning(uint band) => band switch
    {
        TestEntry => "RFC 5782 test entry",
        Unrated => "fingerprinted, too few verdicts to rate",
        >= RatedBase and <= RatedBase + 9 => $"{(band - RatedBase) * 10}–{(band - RatedBase) * 10 + 9}.9 % spam",
        _ => "not a dnsfp band",
    };
}
