using System.Globalization;
using DnsFp.Server.Index;

namespace DnsFp.Server.Lifecycle;

/// <summary>How many stored addresses the policy lists, and why the others are not: the stats command's last lines.</summary>
internal sealed record ListingCensus(int Listed, int Expired, int Delisted, int Excluded)
{
    public static ListingCensus Count(AddressIndex index, ListingPolicy policy)
    {
        int listed = 0, expired = 0, delisted = 0, excluded = 0;
        // the order of ListingPolicy.StatusOf: excluded before expired before delisted
        void Tally(bool isExcluded, int record, bool isDelisted)
        {
            if (isExcluded) excluded++;
            else if (!Contract.ListingRecord.IsCurrent(record, policy.Today, policy.MaxAgeDays)) expired++;
            else if (isDelisted) delisted++;
            else listed++;
        }
        foreach (var (address, record) in index.V4Entries()) Tally(policy.Excluded.Contains(address), record, policy.Delisted.Contains(address));
        foreach (var (address, record) in index.V6Entries()) Tally(policy.Excluded.Contains(address), record, policy.Delisted.Contains(address));
        return new ListingCensus(listed, expired, delisted, excluded);
    }

    public string ToText(int maxAgeDays) => string.Create(CultureInfo.InvariantCulture,
        $"listed addresses: {Listed} (observed in the last {maxAgeDays} days); not answered: {Expired} expired (until the sweep removes them), {Delisted} delisted, {Excluded} excluded (stored before the exclusion)");
}
