using DnsFp.Server.Wire;

namespace DnsFp.Server.Zones;

/// <summary>The zones this server is authoritative for, and the longest-suffix match of a query name against them.</summary>
internal sealed class ZoneSet(IReadOnlyList<Zone> zones)
{
    /// <summary>An array, so that matching a query walks it without allocating an enumerator.</summary>
    public Zone[] Zones { get; } = [.. zones];

    /// <summary>Raised (on the follower's thread) when the served serials moved: NOTIFY listens.</summary>
    public event Action? SerialsChanged;

    /// <summary>Publishes each zone's serial for the data at change-feed <paramref name="sequence"/> on day <paramref name="today"/>.</summary>
    public void PublishSerials(long sequence, int today)
    {
        if (sequence < 0) return;                                    // not known yet: the file's serial stands
        bool changed = false;
        foreach (var z in Zones)
        {
            uint serial = ZoneSerial.Compute(z.FileSerial, sequence, today);
            changed |= !z.HasPublished || z.Serial != serial;
            z.PublishSerial(serial);
        }
        if (changed) SerialsChanged?.Invoke();
    }

    /// <summary>
    /// Finds the most specific zone that contains <paramref name="qname"/> (wire form with final zero). Returns the
    /// offset of the zone's apex inside qname (0 for the apex itself) and how many labels come before it.
    /// </summary>
    public bool TryMatch(ReadOnlySpan<byte> qname, out Zone zone, out int apexOffset, out int labelsBefore)
    {
        labelsBefore = 0;
        for (int pos = 0; pos < qname.Length; pos += 1 + qname[pos])
        {
            var suffix = qname[pos..];
            foreach (var z in Zones)
            {
                if (WireName.EqualsIgnoreCase(z.ApexName, suffix))
                {
                    zone = z; apexOffset = pos;
                    return true;
                }
            }
            if (qname[pos] == 0) break;
            labelsBefore++;
        }
        zone = null!; apexOffset = 0; labelsBefore = 0;
        return false;
    }
}
