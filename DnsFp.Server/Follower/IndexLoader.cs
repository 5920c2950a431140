using System.Buffers.Binary;
using DnsFp.Contract;
using DnsFp.Server.Index;
using StackExchange.Redis;

namespace DnsFp.Server.Follower;

/// <summary>
/// Builds a whole <see cref="AddressIndex"/> from Redis: every bucket hash is read with HGETALL, all pipelined, and the
/// entries go into sorted arrays. Reads the bucket keys directly (no SCAN), so the cost is one pass over the data.
/// IPv4 addresses are rebuilt from bucket and field (<see cref="AddressBuckets.V4FromBucketField"/>); values are the
/// listing records as stored, so expiry is decided at query time.
/// </summary>
internal static class IndexLoader
{
    /// <summary>Bucket reads in flight: a few MB of replies at 10M listings.</summary>
    private const int Window = 2048;

    /// <summary>The index, and the bucket with the most entries (Redis' memory per listing depends on its encoding).</summary>
    public static async Task<(AddressIndex Index, int LargestBucket, int LargestCount)> LoadAsync(IDatabase db, CancellationToken stop)
    {
        int largest = 0, largestCount = -1;
        var v4Keys = new List<uint>();
        var v4Records = new List<int>();
        var v6Keys = new List<UInt128>();
        var v6Records = new List<int>();

        // HGETALLs are pipelined, a window of them in flight: Redis streams the replies back to back and is never
        // left waiting for the next request, yet no reply waits behind hundreds of MB of others (sending all 36,864
        // at once made a 10M load exceed the client's 5 s timeout).
        var pending = new Task<HashEntry[]>[AddressBuckets.TotalBuckets];
        int sent = 0;
        for (; sent < Math.Min(Window, pending.Length); sent++) pending[sent] = db.HashGetAllAsync(AddressBuckets.BucketKeyAt(sent));
        for (int bucket = 0; bucket < pending.Length; bucket++)
        {
            stop.ThrowIfCancellationRequested();
            bool v4 = bucket < AddressBuckets.V4BucketCount;
            var entries = await pending[bucket];
            pending[bucket] = null!;
            if (sent < pending.Length) { pending[sent] = db.HashGetAllAsync(AddressBuckets.BucketKeyAt(sent)); sent++; }
            if (entries.Length > largestCount) (largest, largestCount) = (bucket, entries.Length);
            foreach (var entry in entries)
            {
                if (!entry.Value.TryParse(out int record) || record == AddressIndex.Removed) continue;
                if (v4)
                {
                    if (!entry.Name.TryParse(out int field)) continue;
                    v4Keys.Add(AddressBuckets.V4FromBucketField(bucket, field)); v4Records.Add(record);
                }
                else
                {
                    // the field's bytes as Redis sent them (no copy)
                    ReadOnlyMemory<byte> field = entry.Name;
                    if (field.Length != 16) continue;
                    v6Keys.Add(BinaryPrimitives.ReadUInt128BigEndian(field.Span)); v6Records.Add(record);
                }
            }
        }
        return (new AddressIndex(new SortedAddressTable<uint>([.. v4Keys], [.. v4Records]), new SortedAddressTable<UInt128>([.. v6Keys], [.. v6Records])), largest, largestCount);
    }
}
