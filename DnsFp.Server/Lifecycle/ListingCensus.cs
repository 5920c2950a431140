using System.Globalization;
using DnsFp.Server.Index;

namespace DnsFp.Server.Lifecycle;

/// <summary>How many stored addresses the policy lists, and why the others are not: the stats command's last lines.</summary>
internal sealed record ListingCensus(int Listed, int Expired, int Delisted, int Excluded)
{
    public static ListingCensus Count(AddressIndex index, ListingPolicy policy)
    {
        int listed = 0, expired = 0, delisted = 0, excluded = 0;
        foreach (var (address, record) in index.V4Entries())
        {
            if (policy.IsListed(address, record)) listed++;
            else if (policy.Excluded.Contains(address)) excluded++;
            else if (!Contract.ListingRecord.IsCurrent(record, policy.Today, policy.MaxAgeDays)) expired++;
            else delisted++;
        }
        foreach (var (address, record) in index.V6Entries())
        {
            if (policy.IsListed(address, record)) listed++;
            else if (policy.Excluded.Contains(address)) excluded++;
            else if (!Contract.ListingRecord.IsCurrent(record, policy.Today, policy.MaxAgeDays)) expired++;
            else delisted++;
        }
        return new ListingCensus(listed, expired, delisted, excluded);
    }

    public string ToText(int maxAgeDays) => string.Create(CultureInfo.InvariantCulture,
        $"listed addresses: {Listed} (observed in the last {maxAgeDays} days); not answered: {Expired} expired (until the sweep removes them), {Delisted} delisted, {Excluded} excluded (stored before the exclusion)");
}
