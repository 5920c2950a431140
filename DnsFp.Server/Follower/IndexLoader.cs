using System.Buffers.Binary;
using DnsFp.Contract;
using DnsFp.Server.Index;
using StackExchange.Redis;

namespace DnsFp.Server.Follower;

/// <summary>
/// Builds a whole <see cref="AddressIndex"/> from Redis: every bucket hash is read with HGETALL, all pipelined, and the
/// entries go into sorted arrays. Reads the bucket keys directly (no SCAN), so the cost is one pass over the data.
/// </summary>
internal static class IndexLoader
{
    public static async Task<AddressIndex> LoadAsync(IDatabase db, CancellationToken stop)
    {
        var v4Keys = new List<uint>();
        var v4Labels = new List<int>();
        var v6Keys = new List<UInt128>();
        var v6Labels = new List<int>();

        // Every HGETALL is sent at once: Redis streams the replies back to back and is never left waiting for the
        // client to ask for the next chunk. Replies are read in bucket order as they complete.
        var keys = Enumerable.Range(0, AddressBuckets.V4BucketCount).Select(AddressBuckets.V4BucketKey)
            .Concat(Enumerable.Range(0, AddressBuckets.V6BucketCount).Select(AddressBuckets.V6BucketKey));
        var pending = keys.Select(k => db.HashGetAllAsync(k)).ToArray();
        foreach (var reply in pending)
        {
            stop.ThrowIfCancellationRequested();
            foreach (var entry in await reply)
            {
                // the field's bytes as Redis sent them (no copy); the value is the label id in decimal
                ReadOnlyMemory<byte> field = entry.Name;
                if (!entry.Value.TryParse(out int labelId)) continue;
                if (field.Length == 4) { v4Keys.Add(BinaryPrimitives.ReadUInt32BigEndian(field.Span)); v4Labels.Add(labelId); }
                else if (field.Length == 16) { v6Keys.Add(BinaryPrimitives.ReadUInt128BigEndian(field.Span)); v6Labels.Add(labelId); }
            }
        }
        return new AddressIndex(new SortedAddressTable<uint>([.. v4Keys], [.. v4Labels]), new SortedAddressTable<UInt128>([.. v6Keys], [.. v6Labels]));
    }
}
