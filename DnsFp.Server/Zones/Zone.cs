using DnsFp.Server.Wire;

namespace DnsFp.Server.Zones;

/// <summary>
/// One authoritative zone: its apex name, the static records from its master file (SOA, NS and anything else the
/// operator put there) and the TTLs the DNSBL answers use. Listings themselves come from the index, not from here.
/// </summary>
internal sealed class Zone
{
    public required string Name { get; init; }

    /// <summary>Apex name in wire form, lower case, with the final zero.</summary>
    public required byte[] ApexName { get; init; }

    /// <summary>The SOA as the zone file has it (its serial is the file's; <see cref="SoaRdata"/> is what is served).</summary>
    public required ZoneRecord Soa { get; init; }

    private volatile byte[]? _soaRdata;
    private volatile uint _serial;

    /// <summary>The SOA RDATA answered now: the file's, with the serial of the data being served (<see cref="ZoneSerial"/>).</summary>
    public byte[] SoaRdata => _soaRdata ?? Soa.Rdata;

    /// <summary>The serial answered now; the file's until the index has been loaded.</summary>
    public uint Serial => _soaRdata is null ? FileSerial : _serial;

    /// <summary>Whether a serial for the data has been published (the index was loaded once).</summary>
    public bool HasPublished => _soaRdata is not null;

    public uint FileSerial => ZoneSerial.Read(Soa.Rdata);

    /// <summary>Swaps in the SOA with <paramref name="serial"/> (a new array, so a reader copies one whole SOA or the other).</summary>
    public void PublishSerial(uint serial)
    {
        if (_soaRdata is not null && _serial == serial) return;
        _serial = serial;
        _soaRdata = ZoneSerial.With(Soa.Rdata, serial);
    }

    /// <summary>SOA MINIMUM: the TTL of NXDOMAIN and NODATA answers (RFC 2308 5).</summary>
    public required uint NegativeTtl { get; init; }

    /// <summary>TTL of listing A/TXT answers: the zone file's $TTL, else the SOA TTL.</summary>
    public required uint ListingTtl { get; init; }

    public required ZoneRecord[] Records { get; init; }          // arrays: foreach over them allocates nothing per query

    /// <summary>Relative names that are proper ancestors of a static owner (empty non-terminals: NODATA).</summary>
    public required byte[][] EmptyNonTerminals { get; init; }

    public bool HasStaticName(ReadOnlySpan<byte> relativeName)
    {
        foreach (var r in Records)
            if (WireName.EqualsIgnoreCase(r.RelativeOwner, relativeName)) return true;
        return false;
    }

    public bool IsEmptyNonTerminal(ReadOnlySpan<byte> relativeName)
    {
        foreach (var n in EmptyNonTerminals)
            if (WireName.EqualsIgnoreCase(n, relativeName)) return true;
        return false;
    }
}
