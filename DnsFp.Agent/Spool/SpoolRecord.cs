using System.Globalization;
using System.Net;
using DnsFp.Contract;

namespace DnsFp.Agent.Spool;

/// <summary>One fact as one spool line: "id TAB kind TAB address TAB label TAB class TAB time". Labels are
/// normalised printable ASCII, so they never hold a tab or a newline.</summary>
internal static class SpoolRecord
{
    public static string Encode(Fact f) => string.Join('\t', f.Id, f.KindCode, f.Address.ToString(), f.Label, f.Class,
        f.Time.ToString(CultureInfo.InvariantCulture));

    public static Fact? Decode(string line)
    {
        var p = line.Split('\t');
        if (p.Length != 6 || !IPAddress.TryParse(p[2], out var ip) || !long.TryParse(p[5], NumberStyles.Integer, CultureInfo.InvariantCulture, out long t)) return null;
        return Fact.FromFields(p[1], p[0], ip, p[3], p[4], t);
    }
}
