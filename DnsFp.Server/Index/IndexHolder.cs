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
    private readonly Lock _policyWriters = new();

    public AddressIndex Addresses => _addresses;

    public LabelTable Labels => _labels;

    public ListingPolicy Policy => _policy;

    public void Publish(AddressIndex addresses) => _addresses = addresses;

    public void Publish(LabelTable labels) => _labels = labels;

    /// <summary>Writers of different parts of the policy (day, delistings, exclusions) take turns; readers never wait.</summary>
    public void UpdatePolicy(Func<ListingPolicy, ListingPolicy> change)
    {
        lock (_policyWriters) _policy = change(_policy);
    }
}
