namespace DnsFp.Contract;

/// <summary>
/// Every Redis key dnsfp uses, spelled once. Agents may only XADD to the facts streams (see deploy/redis/);
/// everything else is written by the server's fact folder and read by the servers. A key that belongs to one shard
/// (<see cref="AddressBuckets.ShardCount"/>) carries the shard in a Redis Cluster hash tag, <c>{s}</c>, so everything
/// one fold call touches is in one hash slot (README.md beside this file, "Sentinel and Cluster").
/// </summary>
public static class RedisKeys
{
    /// <summary>Stream of facts about the addresses of one shard, appended by agents (observations and verdicts). Agents: XADD only.</summary>
    public static string Facts(int shard) => FactsKeys[shard];

    private static readonly string[] FactsKeys = Sharded("dnsfp:facts:{", "}");

    /// <summary>The one facts stream of agents before the shard streams (#16); still folded, so old agents keep working.</summary>
    public const string LegacyFacts = "dnsfp:facts";

    /// <summary>Every facts stream the servers fold: the 64 shard streams, then <see cref="LegacyFacts"/>.</summary>
    public static readonly IReadOnlyList<string> AllFacts = [.. FactsKeys, LegacyFacts];

    /// <summary>Consumer group of the servers that fold <see cref="Facts"/> into state, each fact once.</summary>
    public const string FoldGroup = "dnsfp-folders";

    /// <summary>
    /// The global change feed: changes that belong to no shard (delistings, exclusions). Every server's index follows
    /// it and the <see cref="ShardChanges"/> feeds.
    /// </summary>
    public const string Changes = "dnsfp:changes";

    /// <summary>Counter of <see cref="Changes"/>' entries: each entry carries the next number, so a follower sees a gap.</summary>
    public const string ChangesSequence = "dnsfp:changes:seq";

    /// <summary>The change feed of one shard: the address changes and verdict counts its fold calls and sweeps made.</summary>
    public static string ShardChanges(int shard) => ShardChangesKeys[shard];

    /// <summary>Counter of one shard feed's entries, in the shard's slot so the fold takes it in the same script.</summary>
    public static string ShardChangesSequence(int shard) => ShardSequenceKeys[shard];

    private static readonly string[] ShardChangesKeys = Sharded("dnsfp:changes:{", "}");
    private static readonly string[] ShardSequenceKeys = Sharded("dnsfp:changes:{", "}:seq");

    /// <summary>Pub/sub channel the fold publishes on after a batch reached <see cref="Changes"/>, so followers read at once instead of at their next poll.</summary>
    public const string ChangesChannel = "dnsfp:changes:notify";

    /// <summary>Hash label → numeric label id.</summary>
    public const string LabelIds = "dnsfp:label:ids";

    /// <summary>Hash label id → "label TAB class".</summary>
    public const string LabelNames = "dnsfp:label:names";

    /// <summary>Counter that hands out label ids.</summary>
    public const string LabelNextId = "dnsfp:label:next";

    /// <summary>One shard's verdict counts of one day (the verdict's own day): hash "labelId:a" / "labelId:r" → count. Readers sum the shards.</summary>
    public static string Counts(int shard, DateOnly day) => "dnsfp:counts:{" + Shard(shard) + "}:" + Day(day);

    /// <summary>Verdict counts of one day written before the shards (#16): still read, never written.</summary>
    public static string LegacyCounts(DateOnly day) => "dnsfp:counts:" + Day(day);

    /// <summary>
    /// Set of one shard's verdict fact ids counted on one day (fold time); today's and yesterday's are checked, so a
    /// replayed fact changes nothing. A verdict's shard comes from its address, so a fact sent twice meets its own set.
    /// </summary>
    public static string SeenVerdicts(int shard, DateOnly day) => "dnsfp:seen:{" + Shard(shard) + "}:" + Day(day);

    private static string Day(DateOnly day) => day.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);

    private static string Shard(int shard) => shard.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string[] Sharded(string prefix, string suffix) =>
        [.. Enumerable.Range(0, AddressBuckets.ShardCount).Select(s => prefix + Shard(s) + suffix)];

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
