using System.Net;

namespace DnsFp.Agent.Firewall;

/// <summary>
/// What one transfer said: the zone is unchanged (IXFR answered with the one SOA), here is all of it (AXFR, or IXFR
/// in AXFR form), or here are the differences since our serial (RFC 1995 incremental form). Only the listings in
/// the chosen bands are kept of a full zone; of differences every deletion is kept, since the band it leaves
/// may be one we hold.
/// </summary>
internal sealed record ZoneTransfer(uint Serial, ZoneTransfer.Form Kind, IReadOnlyDictionary<IPAddress, uint> Listings, IReadOnlyList<ZoneTransfer.Change> Changes)
{
    public enum Form { Current, Full, Incremental }

    /// <param name="Added">false: the listing with this band left the zone.</param>
    public readonly record struct Change(bool Added, IPAddress Address, uint Band);
}
