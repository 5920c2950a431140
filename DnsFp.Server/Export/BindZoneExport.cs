using System.Globalization;
using System.Net.Sockets;
using DnsFp.Server.Bands;

namespace DnsFp.Server.Export;

/// <summary>A master file of the whole zone (SOA, NS, and A + TXT per listed address), for BIND or NSD secondaries.</summary>
internal static class BindZoneExport
{
    public static void Write(TextWriter w, ZoneApexText apex, IEnumerable<ExportedListing> listings)
    {
        var inv = CultureInfo.InvariantCulture;
        w.WriteLine("; dnsfp export as a zone file; generated, do not edit");
        w.WriteLine($"$ORIGIN {apex.Origin}");
        w.WriteLine(string.Create(inv, $"$TTL {apex.ListingTtl}"));
        w.WriteLine(string.Create(inv, $"@ {apex.SoaTtl} IN SOA {apex.Mname} {apex.Rname} {apex.Serial} {apex.Refresh} {apex.Retry} {apex.Expire} {apex.Minimum}"));
        foreach (var ns in apex.NameServers) w.WriteLine(string.Create(inv, $"@ {apex.NsTtl} IN NS {ns}"));
        foreach (var line in apex.OtherRecords) w.WriteLine(line);
        foreach (var l in listings)
        {
            string owner = Reversed(l);
            w.WriteLine($"{owner} IN A {BandTable.ToText(l.Band)}");
            w.WriteLine($"{owner} IN TXT \"{l.Txt.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\"");
        }
    }

    private static string Reversed(ExportedListing l)
    {
        var bytes = l.Address.GetAddressBytes();
        if (l.Address.AddressFamily == AddressFamily.InterNetwork) return string.Join('.', bytes.Reverse());
        return string.Join('.', Convert.ToHexStringLower(bytes).Reverse());
    }
}
