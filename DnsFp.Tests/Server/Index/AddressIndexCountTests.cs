using DnsFp.Server.Index;

namespace DnsFp.Tests.Server.Index;

/// <summary>The index's address count (metrics, status page) is exact across overlay changes, removals and merges.</summary>
public sealed class AddressIndexCountTests
{
    [Fact]
    public void Counts_each_address_once_whether_in_the_table_the_overlay_or_both()
    {
        var index = new AddressIndex(new SortedAddressTable<uint>([1, 2, 3], [5, 5, 5]), SortedAddressTable<UInt128>.Empty);
        Assert.Equal((3, 0), index.Counts);
        index.Set(2u, 7);                      // changed: still one address
        index.Set(4u, 7);                      // new
        index.Set(4u, 8);                      // changed again
        index.Set(1u, AddressIndex.Removed);   // gone
        index.Set(9u, AddressIndex.Removed);   // removing what is not there changes nothing
        index.Set(UInt128.One, 5);
        Assert.Equal((3, 1), index.Counts);
        for (uint a = 100; a < 100 + 70_000; a++) index.Set(a, 5);      // past the merge threshold
        for (uint a = 100; a < 100 + 1_000; a++) index.Set(a, AddressIndex.Removed);
        Assert.Equal((3 + 69_000, 1), index.Counts);
        Assert.Equal(index.Counts.V4, index.V4Entries().Count());
    }
}
