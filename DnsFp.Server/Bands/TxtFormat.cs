using System.Globalization;
using System.Text;

namespace DnsFp.Server.Bands;

/// <summary>
/// The TXT contract, defined once: one character-string of printable ASCII, at most 255 bytes, starting with the
/// OS label, then "; " and how it was rated, e.g.
/// <c>Windows 2000 RFC1323; 56% spam of 812 verdicts (label)</c>, <c>Linux 2.6; 19% spam of 4021 verdicts (class Linux)</c>,
/// <c>AIX 5.3; unrated, 3 verdicts</c>; labels with a SYN signature say the level:
/// <c>Linux 3.11 and newer [4:64:0:*:mss*20,7:mss,sok,ts,nop,ws:df,id+:0]; 12% spam of 80 verdicts (signature)</c>,
/// <c>... (name Linux 3.11 and newer)</c>, <c>unnamed [...]; ... (class Unknown)</c>. Consumers that want only the OS
/// cut at the first ";" (and at " [" for the name without the signature).
/// </summary>
public static class TxtFormat
{
    public const string TestEntryText = "RFC 5782 test entry: dnsfp is answering";

    public static string Text(string label, string cls, LabelRating rating)
    {
        long total = rating.Accepted + rating.Rejected;
        string detail = RatingLevel.Describe(rating.Basis, label, cls) is { } level
            ? string.Create(CultureInfo.InvariantCulture, $"{rating.Rejected * 100 / total}% spam of {total} verdicts ({level})")
            : string.Create(CultureInfo.InvariantCulture, $"unrated, {total} verdicts");
        // the TXT string has 255 bytes: a long signature gives way to the rating, never the other way round
        string head = label.Length + 2 + detail.Length <= 255 ? label : label[..Math.Max(0, 255 - 2 - detail.Length)];
        return head + "; " + detail;
    }

    /// <summary>TXT RDATA: one length-prefixed character-string, non-printable bytes replaced, cut at 255 bytes.</summary>
    public static byte[] Rdata(string text)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        int length = Math.Min(bytes.Length, 255);
        var rdata = new byte[1 + length];
        rdata[0] = (byte)length;
        for (int i = 0; i < length; i++) rdata[1 + i] = bytes[i] is >= 0x20 and <= 0x7E ? bytes[i] : (byte)'?';
        return rdata;
    }
}
