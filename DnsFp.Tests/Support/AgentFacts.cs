using System.Net;
using DnsFp.Contract;
using StackExchange.Redis;

namespace DnsFp.Tests.Support;

/// <summary>Appends facts to the facts stream as an agent does (XADD of Fact's own encoding), with any time, and waits for the fold.</summary>
public static class AgentFacts
{
    public static Task ObserveAsync(IDatabase db, string address, string label, DateTimeOffset time, ObservationSources source = ObservationSources.P0f, string host = "test-agent") =>
        db.StreamAddAsync(RedisKeys.Facts, Fact.Observation(Fact.MakeId("test", address, label, time.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture)),
            IPAddress.Parse(address), label, time.ToUnixTimeSeconds(), source).ToStreamEntry(host));

    public static Task VerdictAsync(IDatabase db, string address, bool accepted, DateTimeOffset time, int n) =>
        db.StreamAddAsync(RedisKeys.Facts, Fact.Verdict(Fact.MakeId("test-verdict", address, n.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            IPAddress.Parse(address), accepted, time.ToUnixTimeSeconds()).ToStreamEntry("test-mta"));

    /// <summary>Every fact waiting in the facts stream (one-fact and batch entries), in order.</summary>
    public static async Task<List<Fact>> UnfoldedAsync(IDatabase db)
    {
        var facts = new List<Fact>();
        foreach (var entry in await db.StreamRangeAsync(RedisKeys.Facts)) Assert.Equal(0, FactStreamEntry.Read(entry.Values, facts, out _));
        return facts;
    }

    /// <summary>Waits until every appended fact was folded (the folder deletes what it folded).</summary>
    public static async Task WaitFoldedAsync(IDatabase db)
    {
        for (int i = 0; i < 400 && await db.StreamLengthAsync(RedisKeys.Facts) > 0; i++) await Task.Delay(25);
        Assert.Equal(0, await db.StreamLengthAsync(RedisKeys.Facts));
    }

    /// <summary>The stored listing record of an address, or null.</summary>
    public static async Task<int?> RecordAsync(IDatabase db, string address)
    {
        var ip = IPAddress.Parse(address);
        var value = await db.HashGetAsync(AddressBuckets.KeyFor(ip), AddressBuckets.FieldFor(ip));
        return !value.IsNull && value.TryParse(out int record) ? record : null;
    }
}
