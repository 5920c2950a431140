using System.Globalization;
using System.Net.Sockets;
using DnsFp.Server.Bands;

namespace DnsFp.Server.Export;

/// <summary>
/// An rbldnsd "combined" data file: $SOA, $NS, $TTL, a generic dataset with the zone file's other records (glue), then an ip4set and an ip6trie dataset with one
/// "address :A:TXT" line per listed address, so rbldnsd mirrors answer what dnsfp answers. Run it as
/// <c>rbldnsd -b 0.0.0.0/53 fp.example.org:combined:dnsfp.rbldnsd</c>.
/// </summary>
internal static class RbldnsdExport
{
    public static void Write(TextWriter w, ZoneApexText apex, IEnumerable<ExportedListing> listings)
    {
        var inv = CultureInfo.InvariantCulture;
        w.WriteLine("# dnsfp export for rbldnsd (combined dataset); generated, do not edit");
        w.WriteLine(string.Create(inv, $"$SOA {apex.SoaTtl} {apex.Mname} {apex.Rname} {apex.Serial} {apex.Refresh} {apex.Retry} {apex.Expire} {apex.Minimum}"));
        w.WriteLine(string.Create(inv, $"$NS {apex.NsTtl} {string.Join(' ', apex.NameServers)}"));
        w.WriteLine(string.Create(inv, $"$TTL {apex.ListingTtl}"));
        if (apex.OtherRecords.Count > 0)
        {
            // the zone's own names (the name servers' addresses...), so rbldnsd has the glue dnsfp answers
            w.WriteLine("$DATASET generic:dnsfpzone @");
            foreach (var record in apex.OtherRecords) w.WriteLine(GenericLine(record));
        }
        var all = listings.ToList();
        w.WriteLine("$DATASET ip4set:dnsfp4 @");
        foreach (var l in all.Where(l => l.Address.AddressFamily == AddressFamily.InterNetwork)) w.WriteLine(Line(l));
        w.WriteLine("$DATASET ip6trie:dnsfp6 @");
        foreach (var l in all.Where(l => l.Address.AddressFamily == AddressFamily.InterNetworkV6)) w.WriteLine(Line(l));
    }

    /// <summary>"owner ttl IN type data" as rbldnsd's generic dataset writes it: "owner ttl type data".</summary>
    private static string GenericLine(string zoneFileLine)
    {
        int at = zoneFileLine.IndexOf(" IN ", StringComparison.Ordinal);
        return at < 0 ? zoneFileLine : zoneFileLine[..at] + zoneFileLine[(at + 3)..];
    }

    // rbldnsd replaces "$" in TXT with the queried address; dnsfp's texts are printable ASCII, so only that needs care
    private static string Line(ExportedListing l) => $"{l.Address} :{BandTable.ToText(l.Band)}:{l.Txt.Replace("$", "\\$", StringComparison.Ordinal)}";
}
