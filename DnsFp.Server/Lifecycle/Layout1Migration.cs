using DnsFp.Contract;
using DnsFp.Server.Follower;
using StackExchange.Redis;

namespace DnsFp.Server.Lifecycle;

/// <summary>
/// Moves layout 1 listings (dnsfp:ip:4:b / dnsfp:ip:6:b, raw address field, label id value) into layout 2 (README.md
/// in DnsFp.Contract), bucket by bucket: each entry becomes a record last and first seen on the migration day, with
/// no sources known, written with HSETNX so a layout 2 fold that got there first wins; the old bucket is then deleted
/// and the change stream told. Run once by the sweep lease holder; then <see cref="RedisKeys.Layout"/> is set.
/// </summary>
internal static class Layout1Migration
{
    private const int Pipelined = 512;

    public static async Task<bool> IsNeededAsync(IDatabase db) =>
        !(await db.StringGetAsync(RedisKeys.Layout)).TryParse(out int layout) || layout < RedisKeys.CurrentLayout;

    public static async Task<int> RunAsync(IDatabase db, int today, TimeSpan changeRetention, CancellationToken stop)
    {
        int moved = 0;
        foreach (bool v6 in new[] { false, true })
        {
            int buckets = v6 ? AddressBuckets.V6BucketCount : AddressBuckets.V4BucketCount;
            for (int start = 0; start < buckets; start += Pipelined)
            {
                stop.ThrowIfCancellationRequested();
                int count = Math.Min(Pipelined, buckets - start);
                var reads = Enumerable.Range(start, count).Select(b => db.HashGetAllAsync(AddressBuckets.Layout1BucketKey(v6, b))).ToArray();
                var writes = new List<Task>();
                for (int i = 0; i < count; i++)
                {
                    var entries = await reads[i];
                    if (entries.Length == 0) continue;
                    foreach (var e in entries)
                    {
                        byte[] raw = e.Name!;
                        if (!e.Value.TryParse(out int labelId) || labelId is < 1 or > ListingRecord.MaxLabelId || raw.Length != (v6 ? 16 : 4)) continue;
                        int record = ListingRecord.First(labelId, today, ObservationSources.None).Pack();
                        var address = new System.Net.IPAddress(raw);
                        writes.Add(MoveAsync(db, raw, address, record, changeRetention));
                        moved++;
                    }
                    writes.Add(db.KeyDeleteAsync(AddressBuckets.Layout1BucketKey(v6, start + i)));
                }
                await Task.WhenAll(writes);
            }
        }
        await db.StringSetAsync(RedisKeys.Layout, RedisKeys.CurrentLayout);
        return moved;
    }

    private static async Task MoveAsync(IDatabase db, byte[] raw, System.Net.IPAddress address, int record, TimeSpan changeRetention)
    {
        if (await db.HashSetAsync(AddressBuckets.KeyFor(address), AddressBuckets.FieldFor(address), record, When.NotExists))
            await ChangeFeed.AppendAsync(db, ChangeFeed.OfAddress(raw), changeRetention, ChangeFeed.AddressChange(raw, record));
    }
}
