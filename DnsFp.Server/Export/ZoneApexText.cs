using System.Buffers.Binary;
using DnsFp.Server.Wire;
using DnsFp.Server.Zones;

namespace DnsFp.Server.Export;

/// <summary>A zone's SOA and NS records as text, for the export formats.</summary>
internal sealed record ZoneApexText(string Origin, uint SoaTtl, string Mname, string Rname, uint Serial, uint Refresh, uint Retry, uint Expire, uint Minimum,
    uint NsTtl, IReadOnlyList<string> NameServers, uint ListingTtl, IReadOnlyList<string> OtherRecords)
{
    public static ZoneApexText From(Zone zone)
    {
        var rdata = zone.Soa.Rdata;
        int mnameLength = NameLength(rdata, 0);
        int rnameLength = NameLength(rdata, mnameLength);
        int numbers = mnameLength + rnameLength;
        uint Number(int i) => BinaryPrimitives.ReadUInt32BigEndian(rdata.AsSpan(numbers + 4 * i));
        var ns = zone.Records.Where(r => r.Type == (ushort)RecordType.NS && r.RelativeOwner.Length == 0).ToList();
        return new ZoneApexText(zone.Name + ".", zone.Soa.Ttl, WireName.ToText(rdata) + ".", WireName.ToText(rdata.AsSpan(mnameLength)) + ".",
            Number(0), Number(1), Number(2), Number(3), Number(4),
            ns.Count == 0 ? zone.Soa.Ttl : ns[0].Ttl, ns.Select(r => WireName.ToText(r.Rdata) + ".").ToList(), zone.ListingTtl,
            zone.Records.Where(r => r.Type != (ushort)RecordType.SOA && !(r.Type == (ushort)RecordType.NS && r.RelativeOwner.Length == 0)).Select(RecordText).ToList());
    }

    /// <summary>A zone-file line for the other static records (glue, TXT, MX at the apex...).</summary>
    private static string RecordText(ZoneRecord r)
    {
        string owner = r.RelativeOwner.Length == 0 ? "@" : WireName.ToText(r.RelativeOwner);
        string data = (RecordType)r.Type switch
        {
            RecordType.A or RecordType.AAAA => new System.Net.IPAddress(r.Rdata).ToString(),
            RecordType.NS => WireName.ToText(r.Rdata) + ".",
            RecordType.MX => $"{BinaryPrimitives.ReadUInt16BigEndian(r.Rdata)} {WireName.ToText(r.Rdata.AsSpan(2))}.",
            RecordType.TXT => TxtStrings(r.Rdata),
            _ => throw new FormatException($"cannot export record type {r.Type}"),
        };
        return $"{owner} {r.Ttl} IN {(RecordType)r.Type} {data}";
    }

    private static string TxtStrings(byte[] rdata)
    {
        var parts = new List<string>();
        for (int pos = 0; pos < rdata.Length; pos += 1 + rdata[pos])
            parts.Add("\"" + System.Text.Encoding.Latin1.GetString(rdata, pos + 1, rdata[pos]).Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"");
        return string.Join(' ', parts);
    }

    private static int NameLength(byte[] wire, int start)
    {
        int pos = start;
        while (wire[pos] != 0) pos += 1 + wire[pos];
        return pos + 1 - start;
    }
}
