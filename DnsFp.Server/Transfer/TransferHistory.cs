namespace DnsFp.Server.Transfer;

/// <summary>
/// The last few snapshots this server sent a secondary, per zone, so that the secondary's next IXFR can be answered
/// with the differences. Each holds the index tables of its time, so the number kept is small (a replaced table of 1M
/// listings is 8 MB); a secondary whose serial is not here (it transferred from another dnsfp server, or long ago)
/// gets the whole zone, which RFC 1995 allows.
/// </summary>
internal sealed class TransferHistory
{
    public const int Kept = 4;
    private readonly List<ZoneSnapshot> _snapshots = [];

    public void Remember(ZoneSnapshot snapshot)
    {
        lock (_snapshots)
        {
            _snapshots.RemoveAll(s => s.Zone == snapshot.Zone && s.Serial == snapshot.Serial);
            _snapshots.Add(snapshot);
            var ofZone = _snapshots.Where(s => s.Zone == snapshot.Zone).ToList();
            for (int i = 0; i < ofZone.Count - Kept; i++) _snapshots.Remove(ofZone[i]);
        }
    }

    public ZoneSnapshot? Find(Zones.Zone zone, uint serial)
    {
        lock (_snapshots) return _snapshots.LastOrDefault(s => s.Zone == zone && s.Serial == serial);
    }
}
