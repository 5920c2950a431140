namespace DnsFp.Contract;

/// <summary>
/// Every Redis key dnsfp uses, spelled once. Agents may only XADD to <see cref="Facts"/> (see deploy/redis/);
/// everything else is written by the server's fact folder and read by the servers.
/// </summary>
public static class RedisKeys
{
    /// <summary>Stream of facts appended by agents (observations and verdicts). Agents: XADD only.</summary>
    public const string Facts = "dnsfp:facts";

    /// <summary>Consumer group of the servers that fold <see cref="Facts"/> into state, each fact once.</summary>
    public const string FoldGroup = "dnsfp-folders";

    /// <summary>Stream of folded changes that every server's index follows.</summary>
    public const string Changes = "dnsfp:changes";

    /// <summary>Counter of change-feed entries: each entry carries the next number, so a follower sees a gap.</summary>
    public const string ChangesSequence = "dnsfp:changes:seq";

    /// <summary>Pub/sub channel the fold publishes on after a batch reached <see cref="Changes"/>, so followers read at once instead of at their next poll.</summary>
    public const string ChangesChannel = "dnsfp:changes:notify";

    /// <summary>Hash label → numeric label id.</summary>
    public const string LabelIds = "dnsfp:label:ids";

    /// <summary>Hash label id → "label TAB class".</summary>
    public const string LabelNames = "dnsfp:label:names";

    /// <summary>Counter that hands out label ids.</summary>
    public const string LabelNextId = "dnsfp:label:next";

    /// <summary>Per-day verdict counts: hash "labelId:a" / "labelId:r" → count.</summary>
    public static string Counts(DateOnly day) => "dnsfp:counts:" + day.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Set of verdict fact ids counted on one day (fold time); today's and yesterday's are checked, so a replayed fact changes nothing.</summary>
    public static string SeenVerdicts(DateOnly day) => "dnsfp:seen:" + day.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Prefix of layout 1's address hashes (dnsfp:ip:4:b, dnsfp:ip:6:b), read only by the migration to layout 2.</summary>
    public const string Layout1AddressPrefix = "dnsfp:ip:";

    /// <summary>Which layout the data is in (absent: 1). See README.md beside this file.</summary>
    public const string Layout = "dnsfp:layout";

    /// <summary>The layout this version reads and writes.</summary>
    public const int CurrentLayout = 2;

    /// <summary>Hash "host TAB source" → Unix time of the last fact from that agent host and source.</summary>
    public const string Agents = "dnsfp:agents";

    /// <summary>String naming the server that sweeps now; set with NX and a short expiry, renewed while it sweeps.</summary>
    public const string SweepLease = "dnsfp:sweep:lease";

    /// <summary>The next bucket the sweep visits (0 to <see cref="AddressBuckets.TotalBuckets"/> - 1).</summary>
    public const string SweepCursor = "dnsfp:sweep:cursor";

    /// <summary>Hash CIDR → "until TAB at TAB user TAB reason" (Unix seconds): ranges kept out of DNS and exports.</summary>
    public const string Delistings = "dnsfp:delistings";

    /// <summary>Stream of operator actions (delist, relist, forget) and delistings that ended, trimmed by age.</summary>
    public const string Audit = "dnsfp:audit";

    /// <summary>Random key of the keyed hash a forget records instead of the address (created on first use).</summary>
    public const string AuditHashKey = "dnsfp:audit:key";
}
