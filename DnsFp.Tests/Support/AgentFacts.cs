using System.Net;
using DnsFp.Contract;
using StackExchange.Redis;

namespace DnsFp.Tests.Support;

/// <summary>Appends facts to the facts streams as an agent does (XADD of Fact's own encoding to the address's shard stream), with any time, and waits for the fold.</summary>
public static class AgentFacts
{
    private static string StreamOf(string address) => RedisKeys.Facts(AddressBuckets.ShardOf(IPAddress.Parse(address)));

    public static Task ObserveAsync(IDatabase db, string address, string label, DateTimeOffset time, ObservationSources source = ObservationSources.P0f, string host = "test-agent") =>
        db.StreamAddAsync(StreamOf(address), Fact.Observation(Fact.MakeId("test", address, label, time.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture)),
            IPAddress.Parse(address), label, time.ToUnixTimeSeconds(), source).ToStreamEntry(host));

    public static Task VerdictAsync(IDatabase db, string address, bool accepted, DateTimeOffset time, int n) =>
        db.StreamAddAsync(StreamOf(address), Fact.Verdict(Fact.MakeId("test-verdict", address, n.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            IPAddress.Parse(address), accepted, time.ToUnixTimeSeconds()).ToStreamEntry("test-mta"));

    /// <summary>Every fact waiting in the facts streams (one-fact and batch entries), in order within each stream.</summary>
    public static async Task<List<Fact>> UnfoldedAsync(IDatabase db)
    {
        var facts = new List<Fact>();
        foreach (var stream in RedisKeys.AllFacts)
            foreach (var entry in await db.StreamRangeAsync(stream)) Assert.Equal(0, FactStreamEntry.Read(entry.Values, facts, out _));
        return facts;
    }

    /// <summary>Stream entries not folded yet, over all facts streams.</summary>
    public static async Task<long> UnfoldedEntriesAsync(IDatabase db) => (await Task.WhenAll(RedisKeys.AllFacts.Select(s => db.StreamLengthAsync(s)))).Sum();

    /// <summary>Waits until every appended fact was folded (the folder deletes what it folded).</summary>
    public static async Task WaitFoldedAsync(IDatabase db)
    {
        for (int i = 0; i < 400 && await UnfoldedEntriesAsync(db) > 0; i++) await Task.Delay(25);
        Assert.Equal(0, await UnfoldedEntriesAsync(db));
    }

    /// <summary>The stored listing record of an address, or null.</summary>
    public static async Task<int?> RecordAsync(IDatabase db, string address)
    {
        var ip = IPAddress.Parse(address);
        var value = await db.HashGetAsync(AddressBuckets.KeyFor(ip), AddressBuckets.FieldFor(ip));
        return !value.IsNull && value.TryParse(out int record) ? record : null;
    }
}
