using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using DnsFp.Server.Wire;

namespace DnsFp.Server.Zones;

/// <summary>
/// Reads one zone master file into a <see cref="Zone"/>. Supports $ORIGIN, $TTL, owner inheritance, "@", relative
/// names, TTL units, and the types a DNSBL zone needs at its apex: SOA, NS, A, AAAA, TXT, MX. Anything else is an
/// error naming the file and line, so a typo never silently drops the SOA.
/// </summary>
internal static class MasterFileParser
{
    public static Zone Parse(string text, string defaultOrigin, string fileName)
    {
        string origin = Absolute(defaultOrigin);
        uint? defaultTtl = null;
        string? owner = null;
        var records = new List<(string Owner, ushort Type, uint? Ttl, byte[] Rdata, int Line)>();
        ZoneRecordDraft? soa = null;

        foreach (var entry in MasterFileTokenizer.Read(text))
        {
            string Where() => $"{fileName} line {entry.Line}";
            var t = entry.Tokens;
            if (!t[0].Quoted && t[0].Text.StartsWith('$'))
            {
                switch (t[0].Text.ToUpperInvariant())
                {
                    case "$ORIGIN" when t.Count >= 2: origin = Resolve(t[1].Text, origin); continue;
                    case "$TTL" when t.Count >= 2 && TtlText.TryParse(t[1].Text, out uint ttl): defaultTtl = ttl; continue;
                    default: throw new FormatException($"{Where()}: unsupported or malformed directive '{string.Join(' ', t.Select(x => x.Text))}'");
                }
            }
            int i = 0;
            if (!entry.StartsWithBlank) owner = Resolve(t[i++].Text, origin);
            if (owner is null) throw new FormatException($"{Where()}: the first record has no owner name");
            uint? recordTtl = null;
            for (; i < t.Count - 1; i++)
            {
                if (recordTtl is null && TtlText.TryParse(t[i].Text, out uint ttl)) { recordTtl = ttl; continue; }
                if (t[i].Text.Equals("IN", StringComparison.OrdinalIgnoreCase)) continue;
                if (t[i].Text.Equals("CH", StringComparison.OrdinalIgnoreCase) || t[i].Text.Equals("HS", StringComparison.OrdinalIgnoreCase))
                    throw new FormatException($"{Where()}: only class IN is served");
                break;
            }
            if (i >= t.Count) throw new FormatException($"{Where()}: no record type");
            string type = t[i].Text.ToUpperInvariant();
            var rdata = t.Skip(i + 1).ToList();
            try
            {
                var (typeCode, bytes) = EncodeRdata(type, rdata, origin);
                if (typeCode == (ushort)RecordType.SOA)
                {
                    if (soa is not null) throw new FormatException("a second SOA record");
                    soa = new ZoneRecordDraft(owner, recordTtl, bytes);
                }
                records.Add((owner, typeCode, recordTtl, bytes, entry.Line));
            }
            catch (FormatException ex)
            {
                throw new FormatException($"{Where()}: {type}: {ex.Message}", ex);
            }
        }

        if (soa is null) throw new FormatException($"{fileName}: no SOA record; every zone file needs one at its apex");
        string apex = soa.Owner;
        uint minimum = BinaryPrimitives.ReadUInt32BigEndian(soa.Rdata.AsSpan(soa.Rdata.Length - 4));
        uint soaTtl = soa.Ttl ?? defaultTtl ?? minimum;
        uint Ttl(uint? own) => own ?? defaultTtl ?? soaTtl;

        var apexWire = WireName.FromText(apex);
        var zoneRecords = new List<ZoneRecord>();
        foreach (var r in records)
        {
            var ownerWire = WireName.FromText(r.Owner);
            if (!IsAtOrBelow(ownerWire, apexWire)) throw new FormatException($"{fileName} line {r.Line}: '{r.Owner}' is outside the zone '{apex}'");
            zoneRecords.Add(new ZoneRecord(ownerWire[..^apexWire.Length], r.Type, Ttl(r.Ttl), r.Rdata));
        }
        if (!zoneRecords.Any(r => r.Type == (ushort)RecordType.NS && r.RelativeOwner.Length == 0))
            throw new FormatException($"{fileName}: no NS record at the apex '{apex}'");

        return new Zone
        {
            Name = apex.TrimEnd('.'),
            ApexName = apexWire,
            Soa = zoneRecords.Single(r => r.Type == (ushort)RecordType.SOA),
            NegativeTtl = Math.Min(minimum, soaTtl),
            ListingTtl = defaultTtl ?? soaTtl,
            Records = [.. zoneRecords],
            EmptyNonTerminals = [.. EmptyNonTerminalsOf(zoneRecords)],
        };
    }

    private sealed record ZoneRecordDraft(string Owner, uint? Ttl, byte[] Rdata);

    private static (ushort, byte[]) EncodeRdata(string type, List<MasterFileTokenizer.Token> r, string origin)
    {
        switch (type)
        {
            case "A" when r.Count == 1 && IPAddress.TryParse(r[0].Text, out var a) && a.AddressFamily == AddressFamily.InterNetwork:
                return ((ushort)RecordType.A, a.GetAddressBytes());
            case "AAAA" when r.Count == 1 && IPAddress.TryParse(r[0].Text, out var a6) && a6.AddressFamily == AddressFamily.InterNetworkV6:
                return ((ushort)RecordType.AAAA, a6.GetAddressBytes());
            case "NS" when r.Count == 1:
                return ((ushort)RecordType.NS, WireName.FromText(Resolve(r[0].Text, origin)));
            case "MX" when r.Count == 2 && ushort.TryParse(r[0].Text, CultureInfo.InvariantCulture, out ushort pref):
                return ((ushort)RecordType.MX, [(byte)(pref >> 8), (byte)pref, .. WireName.FromText(Resolve(r[1].Text, origin))]);
            case "TXT" when r.Count >= 1:
                var txt = new List<byte>();
                foreach (var s in r)
                {
                    var b = Encoding.Latin1.GetBytes(s.Text);
                    if (b.Length > 255) throw new FormatException("a character-string is longer than 255 bytes");
                    txt.Add((byte)b.Length); txt.AddRange(b);
                }
                return ((ushort)RecordType.TXT, [.. txt]);
            case "SOA" when r.Count == 7:
                var soa = new List<byte>();
                soa.AddRange(WireName.FromText(Resolve(r[0].Text, origin)));
                soa.AddRange(WireName.FromText(Resolve(r[1].Text, origin)));
                Span<byte> n = stackalloc byte[4];
                for (int i = 2; i < 7; i++)
                {
                    uint v;
                    if (i == 2 ? !uint.TryParse(r[i].Text, NumberStyles.None, CultureInfo.InvariantCulture, out v) : !TtlText.TryParse(r[i].Text, out v))
                        throw new FormatException($"'{r[i].Text}' is not a number or a time");
                    BinaryPrimitives.WriteUInt32BigEndian(n, v);
                    soa.AddRange(n.ToArray());
                }
                return ((ushort)RecordType.SOA, [.. soa]);
            case "A" or "AAAA" or "NS" or "MX" or "TXT" or "SOA":
                throw new FormatException($"malformed data '{string.Join(' ', r.Select(x => x.Text))}'");
            default:
                throw new FormatException("this record type is not supported in a dnsfp zone (SOA, NS, A, AAAA, TXT, MX are)");
        }
    }

    private static string Absolute(string name) => name.EndsWith('.') ? name : name + ".";

    private static string Resolve(string name, string origin) =>
        name == "@" ? origin : name.EndsWith('.') ? name : name + "." + (origin == "." ? "" : origin);

    private static bool IsAtOrBelow(byte[] name, byte[] apex)
    {
        if (name.Length < apex.Length) return false;
        if (!name.AsSpan(name.Length - apex.Length).SequenceEqual(apex)) return false;
        // the match must start at a label boundary
        int pos = 0;
        while (pos < name.Length - apex.Length) pos += 1 + name[pos];
        return pos == name.Length - apex.Length;
    }

    private static List<byte[]> EmptyNonTerminalsOf(List<ZoneRecord> records)
    {
        var result = new List<byte[]>();
        foreach (var r in records)
        {
            for (int pos = 0; pos < r.RelativeOwner.Length; pos += 1 + r.RelativeOwner[pos])
            {
                if (pos == 0) continue;
                var ancestor = r.RelativeOwner[pos..];
                if (!records.Any(x => x.RelativeOwner.AsSpan().SequenceEqual(ancestor)) && !result.Any(x => x.AsSpan().SequenceEqual(ancestor)))
                    result.Add(ancestor);
            }
        }
        return result;
    }
}
