using System.Buffers.Binary;
using DnsFp.Contract;
using DnsFp.Server.Index;
using StackExchange.Redis;

namespace DnsFp.Server.Follower;

/// <summary>
/// Builds a whole <see cref="AddressIndex"/> from Redis: every bucket hash is read with HGETALL, pipelined, and the
/// entries go into sorted arrays. Reads the bucket keys directly (no SCAN), so the cost is one pass over the data.
/// </summary>
internal static class IndexLoader
{
    private const int PipelineDepth = 4096;

    public static async Task<AddressIndex> LoadAsync(IDatabase db, CancellationToken stop)
    {
        var v4Keys = new List<uint>();
        var v4Labels = new List<int>();
        var v6Keys = new List<UInt128>();
        var v6Labels = new List<int>();

        var keys = Enumerable.Range(0, AddressBuckets.V4BucketCount).Select(AddressBuckets.V4BucketKey)
            .Concat(Enumerable.Range(0, AddressBuckets.V6BucketCount).Select(AddressBuckets.V6BucketKey));
        foreach (var chunk in keys.Chunk(PipelineDepth))
        {
            stop.ThrowIfCancellationRequested();
            var hashes = await Task.WhenAll(chunk.Select(k => db.HashGetAllAsync(k)));
            foreach (var hash in hashes)
            {
                foreach (var entry in hash)
                {
                    byte[]? field = entry.Name;
                    if (field is null || !entry.Value.TryParse(out int labelId)) continue;
                    if (field.Length == 4) { v4Keys.Add(BinaryPrimitives.ReadUInt32BigEndian(field)); v4Labels.Add(labelId); }
                    else if (field.Length == 16) { v6Keys.Add(BinaryPrimitives.ReadUInt128BigEndian(field)); v6Labels.Add(labelId); }
                }
            }
        }
        return new AddressIndex(new SortedAddressTable<uint>([.. v4Keys], [.. v4Labels]), new SortedAddressTable<UInt128>([.. v6Keys], [.. v6Labels]));
    }
}
