using System.Buffers.Binary;

namespace DnsFp.Server.Zones;

/// <summary>
/// The SOA serial of a dnsfp zone: the zone file's serial, plus the change feed's sequence number the index is
/// current to, plus today's day number (days since 1970, UTC). Every term only grows, so the serial only grows
/// (RFC 1982 arithmetic, mod 2³²) and moves whenever the listed data can have changed: a fold, a sweep removal, a
/// delisting or relisting and a verdict that re-rates a label each append to the feed (one sequence step), and
/// expiry turns at 00:00 UTC (one day step). Servers sharing a Redis that have read the same feed on the same day
/// answer the same serial, and the sequence lives in Redis, so a restart never goes back. An operator who edits the
/// zone file bumps its serial as usual, and that carries through.
/// </summary>
internal static class ZoneSerial
{
    public static uint Compute(uint fileSerial, long sequence, int today) => unchecked(fileSerial + (uint)sequence + (uint)today);

    /// <summary>The serial inside SOA RDATA (after MNAME and RNAME, uncompressed).</summary>
    public static uint Read(ReadOnlySpan<byte> soaRdata) => BinaryPrimitives.ReadUInt32BigEndian(soaRdata[^20..]);

    public static byte[] With(byte[] soaRdata, uint serial)
    {
        var copy = (byte[])soaRdata.Clone();
        BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(copy.Length - 20), serial);
        return copy;
    }

    /// <summary>RFC 1982: whether <paramref name="a"/> is newer than <paramref name="b"/>.</summary>
    public static bool IsNewer(uint a, uint b) => a != b && unchecked((int)(a - b)) > 0;
}
