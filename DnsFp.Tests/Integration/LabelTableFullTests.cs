using DnsFp.Contract;
using DnsFp.Tests.Support;
using StackExchange.Redis;

namespace DnsFp.Tests.Integration;

/// <summary>
/// A full label table (ListingRecord.MaxLabelId ids handed out): the fold says so once, stores no observation whose
/// label got no id (id 0 would mean "removed"), and goes on folding everything else, in the same batch too.
/// </summary>
public sealed class LabelTableFullTests
{
    [Fact]
    public async Task Observations_with_a_new_label_are_dropped_and_the_rest_is_still_folded()
    {
        await using var redis = await RedisServer.StartAsync();
        Assert.Equal(0, (await Support.Agent.ImportObservationsAsync(redis.Endpoint, "192.0.2.10\tLinux 2.6\tLinux")).ExitCode);
        await using var server = await DnsFpServer.StartAsync(redis.Endpoint);
        await Dig.WaitForAsync(server.Port, "10.2.0.192.fp.example.org", "A", a => a.SequenceEqual(["127.0.0.3"]), TimeSpan.FromSeconds(10));

        using (var c = await ConnectionMultiplexer.ConnectAsync(redis.Endpoint))
            await c.GetDatabase().StringSetAsync(RedisKeys.LabelNextId, ListingRecord.MaxLabelId);
        // one batch entry: a new label first, then a known one
        Assert.Equal(0, (await Support.Agent.ImportObservationsAsync(redis.Endpoint, "192.0.2.20\tPlan 9\tPlan 9", "192.0.2.30\tLinux 2.6\tLinux")).ExitCode);

        var known = await Dig.WaitForAsync(server.Port, "30.2.0.192.fp.example.org", "A", a => a.SequenceEqual(["127.0.0.3"]), TimeSpan.FromSeconds(10));
        Assert.Equal(["127.0.0.3"], known);
        Assert.Equal("NXDOMAIN", Dig.Status(await Dig.RunAsync(server.Port, "20.2.0.192.fp.example.org", "A")));
        Assert.Single(server.Log, l => l.Contains("label table is full", StringComparison.Ordinal));
        using var check = await ConnectionMultiplexer.ConnectAsync(redis.Endpoint);
        Assert.False(await check.GetDatabase().HashExistsAsync(RedisKeys.LabelIds, "Plan 9"));
    }
}
