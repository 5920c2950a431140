using System.Globalization;
using System.Net;

namespace DnsFp.Contract;

/// <summary>
/// One fact as one text line: "id TAB kind TAB address TAB label TAB class TAB time TAB source". The agent's spool
/// stores facts this way, and a batch entry of the facts stream carries them this way, one per line
/// (<see cref="FactStreamEntry"/>). Labels are normalised printable ASCII, so they never hold a tab or a newline.
/// Lines of older agents have no source field and still decode (with no source).
/// </summary>
public static class FactLine
{
    public static string Encode(Fact f) => string.Join('\t', f.Id, f.KindCode, f.Address.ToString(), f.Label, f.Class,
        f.Time.ToString(CultureInfo.InvariantCulture), ((int)f.Source).ToString(CultureInfo.InvariantCulture));

    /// <summary>The fact of one line, or null when the line does not make one.</summary>
    public static Fact? Decode(ReadOnlySpan<char> line)
    {
        Span<Range> p = stackalloc Range[8];
        int n = line.Split(p, '\t');
        if (n is not (6 or 7) || !IPAddress.TryParse(line[p[2]], out var ip)
            || !long.TryParse(line[p[5]], NumberStyles.Integer, CultureInfo.InvariantCulture, out long t)) return null;
        int source = 0;
        if (n == 7 && !int.TryParse(line[p[6]], NumberStyles.None, CultureInfo.InvariantCulture, out source)) return null;
        var kind = line[p[1]];
        string kindCode = kind is "o" ? "o" : kind is "a" ? "a" : kind is "r" ? "r" : kind.ToString();
        return Fact.FromFields(kindCode, line[p[0]].ToString(), ip, line[p[3]].ToString(), line[p[4]].ToString(), t, (ObservationSources)(source & 0x1F));
    }
}
