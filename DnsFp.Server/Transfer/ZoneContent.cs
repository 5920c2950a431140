using DnsFp.Contract;
using DnsFp.Server.Bands;
using DnsFp.Server.Index;
using DnsFp.Server.Lifecycle;
using DnsFp.Server.Wire;
using DnsFp.Server.Zones;

namespace DnsFp.Server.Transfer;

/// <summary>
/// Everything a zone answers, in transfer order, from one snapshot of the index: the SOA, the zone file's other
/// records, the RFC 5782 test entries (127.0.0.2 and ::ffff:7f00:2), every listing (A and TXT, exactly what a query
/// gets: expired, excluded and delisted addresses are left out), the SOA again. Nothing is built up front: each
/// <see cref="Fill"/> writes the next records into one message, so a transfer of millions of listings needs only the
/// snapshot's few MB of pending changes.
/// </summary>
internal sealed class ZoneContent(ZoneSnapshot snapshot)
{
    private enum Phase { Soa, Static, TestV4, TestV6, V4, V6, FinalSoa, Done }

    private Phase _phase;
    private int _static;
    private IEnumerator<KeyValuePair<uint, int>>? _v4;
    private IEnumerator<KeyValuePair<UInt128, int>>? _v6;
    private bool _pending;                                   // the current entry did not fit in the last message

    private readonly Zone zone = snapshot.Zone;

    public uint Serial => snapshot.Serial;
    public long Listings { get; private set; }

    /// <summary>The IPv6 RFC 5782 test entry, ::ffff:7f00:2, as the engine answers it.</summary>
    private static readonly UInt128 TestEntryV6 = (UInt128)0xFFFF << 32 | BandTable.TestEntry;

    /// <summary>Adds records to <paramref name="m"/> until it is full or the zone is done; false once everything was written.</summary>
    public bool Fill(TransferMessage m)
    {
        Span<byte> owner = stackalloc byte[64];
        while (_phase != Phase.Done)
        {
            switch (_phase)
            {
                case Phase.Soa or Phase.FinalSoa:
                    if (!m.TryAdd([], (ushort)RecordType.SOA, zone.Soa.Ttl, snapshot.SoaRdata)) return true;
                    _phase = _phase == Phase.Soa ? Phase.Static : Phase.Done;
                    break;
                case Phase.Static:
                    for (; _static < zone.Records.Length; _static++)
                    {
                        var r = zone.Records[_static];
                        if (r.Type == (ushort)RecordType.SOA) continue;
                        if (!m.TryAdd(r.RelativeOwner, r.Type, r.Ttl, r.Rdata)) return true;
                    }
                    _phase = Phase.TestV4;
                    break;
                case Phase.TestV4:
                    if (!m.TryAddListing(owner[..V4Owner(BandTable.TestEntry, owner)], zone.ListingTtl, LabelTable.TestEntry.Band, LabelTable.TestEntry.TxtRdata)) return true;
                    _phase = Phase.TestV6;
                    break;
                case Phase.TestV6:
                    if (!m.TryAddListing(owner[..V6Owner(TestEntryV6, owner)], zone.ListingTtl, LabelTable.TestEntry.Band, LabelTable.TestEntry.TxtRdata)) return true;
                    _phase = Phase.V4;
                    _v4 = snapshot.Addresses.V4Entries().GetEnumerator();
                    break;
                case Phase.V4:
                    while (_pending || _v4!.MoveNext())
                    {
                        var (address, record) = _v4!.Current;
                        _pending = false;
                        if (snapshot.AnswerOf(address, record) is not { } answer) continue;
                        if (!m.TryAddListing(owner[..V4Owner(address, owner)], zone.ListingTtl, answer.Band, answer.TxtRdata)) { _pending = true; return true; }
                        Listings++;
                    }
                    _phase = Phase.V6;
                    _v6 = snapshot.Addresses.V6Entries().GetEnumerator();
                    break;
                case Phase.V6:
                    while (_pending || _v6!.MoveNext())
                    {
                        var (address, record) = _v6!.Current;
                        _pending = false;
                        if (snapshot.AnswerOf(address, record) is not { } answer) continue;
                        if (!m.TryAddListing(owner[..V6Owner(address, owner)], zone.ListingTtl, answer.Band, answer.TxtRdata)) { _pending = true; return true; }
                        Listings++;
                    }
                    _phase = Phase.FinalSoa;
                    break;
            }
        }
        return false;
    }

    /// <summary>d.c.b.a as wire labels (no final zero).</summary>
    public static int V4Owner(uint address, Span<byte> into)
    {
        int pos = 0;
        for (int shift = 0; shift < 32; shift += 8)
        {
            int octet = (int)(address >> shift) & 0xFF;
            int start = pos++;
            octet.TryFormat(into[pos..], out int digits, default, System.Globalization.CultureInfo.InvariantCulture);
            into[start] = (byte)digits;
            pos += digits;
        }
        return pos;
    }

    /// <summary>32 nibble labels, lowest nibble first (RFC 5782 2.4).</summary>
    public static int V6Owner(UInt128 address, Span<byte> into)
    {
        for (int i = 0; i < 32; i++)
        {
            int nibble = (int)(address >> (4 * i)) & 0xF;
            into[2 * i] = 1;
            into[2 * i + 1] = (byte)(nibble < 10 ? '0' + nibble : 'a' + nibble - 10);
        }
        return 64;
    }
}
