namespace DnsFp.Server.Index;

/// <summary>
/// The published index: the address table and the label table. The follower swaps either with a single volatile
/// write; the engine reads each once per query. Before Redis has ever answered, both are empty and only the RFC
/// 5782 test entries are listed.
/// </summary>
internal sealed class IndexHolder
{
    private volatile AddressIndex _addresses = AddressIndex.CreateEmpty();
    private volatile LabelTable _labels = LabelTable.Empty;

    public AddressIndex Addresses => _addresses;

    public LabelTable Labels => _labels;

    public void Publish(AddressIndex addresses) => _addresses = addresses;

    public void Publish(LabelTable labels) => _labels = labels;
}
