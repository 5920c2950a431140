namespace DnsFp.Server.Zones;

/// <summary>One record from a zone file, ready to copy onto the wire: owner relative to the zone apex (wire form,
/// lower case, no final zero; empty for the apex), type, TTL and encoded RDATA (names uncompressed).</summary>
internal sealed record ZoneRecord(byte[] RelativeOwner, ushort Type, uint Ttl, byte[] Rdata);
