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

    /// <summary>Prefix of the bucketed address hashes; see <see cref="AddressBuckets"/>.</summary>
    public const string AddressPrefix = "dnsfp:ip:";
}
