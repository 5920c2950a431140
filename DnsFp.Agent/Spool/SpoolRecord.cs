using System.Globalization;
using System.Net;
using DnsFp.Contract;

namespace DnsFp.Agent.Spool;

/// <summary>One fact as one spool line: "id TAB kind TAB address TAB label TAB class TAB time TAB source". Labels are
/// normalised printable ASCII, so they never hold a tab or a newline. Lines of older agents have no source field and
/// still decode (with no source).</summary>
internal static class SpoolRecord
{
    public static string Encode(Fact f) => string.Join('\t', f.Id, f.KindCode, f.Address.ToString(), f.Label, f.Class,
        f.Time.ToString(CultureInfo.InvariantCulture), ((int)f.Source).ToString(CultureInfo.InvariantCulture));

    public static Fact? Decode(string line)
    {
        var p = line.Split('\t');
        if (p.Length is not (6 or 7) || !IPAddress.TryParse(p[2], out var ip) || !long.TryParse(p[5], NumberStyles.Integer, CultureInfo.InvariantCulture, out long t)) return null;
        int source = 0;
        if (p.Length == 7 && !int.TryParse(p[6], NumberStyles.None, CultureInfo.InvariantCulture, out source)) return null;
        return Fact.FromFields(p[1], p[0], ip, p[3], p[4], t, (ObservationSources)(source & 0xF));
    }
}
