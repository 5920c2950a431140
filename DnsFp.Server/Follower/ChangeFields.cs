namespace DnsFp.Server.Follower;

/// <summary>
/// Field names of the change stream (<see cref="Contract.RedisKeys.Changes"/>), written by the fold and sweep scripts
/// and by the operator commands, read by every server's follower. An entry is one of: an address and its new record
/// ("ip" raw address bytes, "v" the record, 0 = removed); "n" a new label; "c" verdicts counted; "d" delistings changed.
/// </summary>
internal static class ChangeFields
{
    public const string Address = "ip", Record = "v", NewLabel = "n", VerdictCounted = "c";
}
