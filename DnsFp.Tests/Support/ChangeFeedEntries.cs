using System.Buffers.Binary;
using DnsFp.Contract;
using StackExchange.Redis;

namespace DnsFp.Tests.Support;

/// <summary>Reads the change feed as a follower does: the address changes of packed entries ("4" / "6") and of one-change entries ("ip" / "v").</summary>
public static class ChangeFeedEntries
{
    public static async Task<List<(byte[] Address, int Record)>> AddressChangesAsync(IDatabase db)
    {
        var changes = new List<(byte[], int)>();
        foreach (var e in await db.StreamRangeAsync(RedisKeys.Changes))
        {
            foreach (var (field, length) in new[] { ("4", 4), ("6", 16) })
            {
                if (e[field] is not { IsNull: false } packed) continue;
                byte[] bytes = packed!;
                Assert.Equal(0, bytes.Length % (length + 4));
                for (int i = 0; i < bytes.Length; i += length + 4)
                    changes.Add((bytes[i..(i + length)], BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(i + length))));
            }
            if (!e["ip"].IsNull) changes.Add(((byte[])e["ip"]!, (int)e["v"]));
        }
        return changes;
    }
}
