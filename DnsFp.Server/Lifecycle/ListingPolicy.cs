using System.Net;
using DnsFp.Contract;

namespace DnsFp.Server.Lifecycle;

/// <summary>
/// What decides, besides being stored, whether an address is answered: today's day and MaxAge (expiry), the excluded
/// ranges and the delistings in force. One immutable object, published by the follower and read once per query, so
/// DNS, exports, stats and lookup decide the same way. The query path calls only <see cref="IsListed(uint, int)"/>
/// and its IPv6 twin: integer arithmetic and two binary searches, no allocation.
/// </summary>
internal sealed class ListingPolicy(int today, int maxAgeDays, RangeSet excluded, RangeSet delisted, IReadOnlyList<Delisting> delistings)
{
    public int Today { get; } = today;
    public int MaxAgeDays { get; } = maxAgeDays;
    public RangeSet Excluded { get; } = excluded;
    public RangeSet Delisted { get; } = delisted;

    /// <summary>The delistings in force, for lookup and the delistings command.</summary>
    public IReadOnlyList<Delisting> Delistings { get; } = delistings;

    /// <summary>Until the first load: nothing expires yet (day 0 would expire everything) and nothing is excluded.</summary>
    public static ListingPolicy Initial { get; } = new(ListingRecord.DayNumber(DateTimeOffset.UtcNow), ListingRecord.MaxAgeDaysLimit, RangeSet.Empty, RangeSet.Empty, []);

    public bool IsListed(uint address, int record) =>
        ListingRecord.IsCurrent(record, Today, MaxAgeDays) && !Excluded.Contains(address) && !Delisted.Contains(address);

    public bool IsListed(UInt128 address, int record) =>
        ListingRecord.IsCurrent(record, Today, MaxAgeDays) && !Excluded.Contains(address) && !Delisted.Contains(address);

    /// <summary>The reason, for an address and its stored record (null when none is stored).</summary>
    public ListingStatus StatusOf(IPAddress address, int? record)
    {
        if (Excluded.Contains(address)) return ListingStatus.Excluded;
        if (record is null) return ListingStatus.NeverSeen;
        if (!ListingRecord.IsCurrent(record.Value, Today, MaxAgeDays)) return ListingStatus.Expired;
        if (Delisted.Contains(address)) return ListingStatus.Delisted;
        return ListingStatus.Listed;
    }

    /// <summary>Whether the sweep may delete a stored record: expired, or in an excluded range.</summary>
    public bool IsReclaimable(uint address, int record) => !ListingRecord.IsCurrent(record, Today, MaxAgeDays) || Excluded.Contains(address);

    public bool IsReclaimable(UInt128 address, int record) => !ListingRecord.IsCurrent(record, Today, MaxAgeDays) || Excluded.Contains(address);

    public ListingPolicy With(int today) => today == Today ? this : new(today, MaxAgeDays, Excluded, Delisted, Delistings);

    public ListingPolicy WithExcluded(RangeSet excluded) => new(Today, MaxAgeDays, excluded, Delisted, Delistings);

    public ListingPolicy WithDelistings(IReadOnlyList<Delisting> delistings) =>
        new(Today, MaxAgeDays, Excluded, new RangeSet(delistings.Select(d => d.Range)), delistings);

    public ListingPolicy WithMaxAge(int maxAgeDays) => new(Today, maxAgeDays, Excluded, Delisted, Delistings);
}
