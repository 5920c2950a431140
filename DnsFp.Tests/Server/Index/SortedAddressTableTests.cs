using DnsFp.Server.Index;

namespace DnsFp.Tests.Server.Index;

public sealed class SortedAddressTableTests
{
    [Fact]
    public void Merging_changes_gives_what_applying_them_one_by_one_gives()
    {
        var rng = new Random(1995);
        var model = new Dictionary<uint, int>();
        var table = SortedAddressTable<uint>.Empty;
        for (int round = 0; round < 20; round++)
        {
            // few distinct keys, so changes repeat keys (the last must win) and remove entries that exist
            var changes = Enumerable.Range(0, 500).Select(_ => new KeyValuePair<uint, int>((uint)rng.Next(2000), rng.Next(4) == 0 ? 0 : rng.Next(1, 8192))).ToList();
            foreach (var c in changes) { if (c.Value == 0) model.Remove(c.Key); else model[c.Key] = c.Value; }
            table = table.With(changes);
            Assert.Equal(model.OrderBy(e => e.Key), table.Entries());
        }
        Assert.False(table.TryGet(5000, out _));
        Assert.Equal(model.Count * 8L, table.Bytes);
    }
}
