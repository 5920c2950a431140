namespace DnsFp.Server.Follower;

/// <summary>
/// Field names of the change stream (<see cref="Contract.RedisKeys.Changes"/>), written through
/// <see cref="ChangeFeed"/> by the fold and sweep scripts and by the operator commands, read by every server's follower.
/// An entry has "q" (its sequence number) and any of: "4" / "6" packed address changes (<see cref="ChangeFeed"/>);
/// "n" a new label; "c" verdicts counted; "d" delistings changed; "x" a server's exclusions changed (it moves the
/// zone serial, Zones/ZoneSerial.cs, so secondaries fetch the change). Entries of servers before packing had "ip" (raw
/// address bytes) and "v" (the record) instead; they are still read.
/// </summary>
internal static class ChangeFields
{
    public const string Address = "ip", Record = "v", NewLabel = "n", VerdictCounted = "c", Packed4 = "4", Packed6 = "6", ExclusionsChanged = "x";
}
