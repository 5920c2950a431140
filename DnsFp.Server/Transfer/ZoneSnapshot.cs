using DnsFp.Contract;
using DnsFp.Server.Bands;
using DnsFp.Server.Index;
using DnsFp.Server.Lifecycle;
using DnsFp.Server.Zones;

namespace DnsFp.Server.Transfer;

/// <summary>
/// What a zone answered at one serial: the index snapshot and the label table and policy in force with it. A transfer
/// is served from one; the last few served are kept (<see cref="TransferHistory"/>) so an IXFR from one of those
/// serials can be answered with only the differences.
/// </summary>
internal sealed class ZoneSnapshot(Zone zone, uint serial, byte[] soaRdata, AddressSnapshot addresses, LabelTable labels, ListingPolicy policy)
{
    public Zone Zone { get; } = zone;
    public uint Serial { get; } = serial;
    public byte[] SoaRdata { get; } = soaRdata;
    public AddressSnapshot Addresses { get; } = addresses;

    /// <summary>Takes the snapshot of <paramref name="zone"/> now; null until the index was loaded once.</summary>
    public static ZoneSnapshot? Take(Zone zone, IndexHolder index)
    {
        lock (index.Writer)
            return zone.HasPublished ? new ZoneSnapshot(zone, zone.Serial, zone.SoaRdata, index.Addresses.Snapshot(), index.Labels, index.Policy) : null;
    }

    /// <summary>The answer of an IPv4 entry in this snapshot; null when it is not answered (expired, excluded, delisted, test entries apart).</summary>
    public ListingAnswer? AnswerOf(uint address, int record) =>
        address is BandTable.TestEntry or BandTable.NeverListed || !policy.IsListed(address, record) ? null : labels.Get(ListingRecord.LabelOf(record));

    /// <summary>IPv6: IPv4-mapped entries are never answered as such (their names are the IPv4 listing's).</summary>
    public ListingAnswer? AnswerOf(UInt128 address, int record) =>
        address >> 32 == 0xFFFF || !policy.IsListed(address, record) ? null : labels.Get(ListingRecord.LabelOf(record));
}
