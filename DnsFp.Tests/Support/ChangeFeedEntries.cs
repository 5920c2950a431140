using DnsFp.Contract;
using DnsFp.Server.Follower;
using StackExchange.Redis;

namespace DnsFp.Tests.Support;

/// <summary>Reads the change feeds (every shard's and the global one) as a follower does: the address changes of packed entries ("4" / "6") and of one-change entries ("ip" / "v").</summary>
public static class ChangeFeedEntries
{
    public static async Task<List<(byte[] Address, int Record)>> AddressChangesAsync(IDatabase db)
    {
        var changes = new List<(byte[], int)>();
        foreach (var e in (await Task.WhenAll(ChangeFeed.All.Select(f => db.StreamRangeAsync(f.Stream)))).SelectMany(e => e))
        {
            foreach (var (field, length) in new[] { ("4", 4), ("6", 16) })
            {
                if (e[field] is not { IsNull: false } packed) continue;
                byte[] bytes = packed!;
                Assert.Equal(0, bytes.Length % (length + 4));
                foreach (var change in new PackedChanges(bytes, length)) changes.Add((change.Address.ToArray(), change.Record));
            }
            if (!e["ip"].IsNull) changes.Add(((byte[])e["ip"]!, (int)e["v"]));
        }
        return changes;
    }
}
