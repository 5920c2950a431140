using DnsFp.Server.Lifecycle;

namespace DnsFp.Server.Index;

/// <summary>
/// The published index: the address table, the label table and the listing policy (today, MaxAge, exclusions,
/// delistings). The follower and the exclusion watcher swap each with a single volatile write; the engine reads each
/// once per query. Before Redis has ever answered, the tables are empty and only the RFC 5782 test entries are listed.
/// </summary>
internal sealed class IndexHolder
{
    private volatile AddressIndex _addresses = AddressIndex.CreateEmpty();
    private volatile LabelTable _labels = LabelTable.Empty;
    private volatile ListingPolicy _policy = ListingPolicy.Initial;

    /// <summary>
    /// Held by the follower while it applies a read of the change feed, and by a zone transfer while it takes its
    /// snapshot, so a transfer sees whole reads of the feed and the serial they lead to. Never taken on the query path.
    /// </summary>
    public Lock Writer { get; } = new();

    public AddressIndex Addresses => _addresses;

    public LabelTable Labels => _labels;

    public ListingPolicy Policy => _policy;

    public void Publish(AddressIndex addresses) => _addresses = addresses;

    public void Publish(LabelTable labels) => _labels = labels;

    /// <summary>Writers of different parts of the policy (day, delistings, exclusions) take turns; readers never wait.</summary>
    public void UpdatePolicy(Func<ListingPolicy, ListingPolicy> change)
    {
        lock (Writer) _policy = change(_policy);
    }
}
