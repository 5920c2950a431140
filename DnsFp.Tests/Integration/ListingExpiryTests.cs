using DnsFp.Contract;
using DnsFp.Tests.Support;
using StackExchange.Redis;

namespace DnsFp.Tests.Integration;

/// <summary>
/// Listing:MaxAge through the real agent import, fold, follower and sweep, with the server's clock moved forward: an
/// address last observed on day D is answered through D + MaxAge and NXDOMAIN from D + MaxAge + 1 00:00 UTC, then
/// swept out of Redis; a new observation lists it again.
/// </summary>
public sealed class ListingExpiryTests
{
    private const string V4 = "203.0.113.7", V6 = "2001:db8::7";
    private static readonly string V4Name = QueryBuilder.Reverse(V4) + ".fp.example.org";
    private static readonly string V6Name = QueryBuilder.Reverse(V6) + ".fp.example.org";

    [Fact]
    public async Task Not_observed_for_MaxAge_leaves_DNS_at_the_day_boundary_then_Redis_and_a_new_observation_lists_it_again()
    {
        await using var redis = await RedisServer.StartAsync();
        var clock = new ShiftedTimeProvider();
        await using var server = await DnsFpServer.StartAsync(redis.Endpoint, settings: new Dictionary<string, string?>
        {
            ["Listing:MaxAge"] = "3.00:00:00",
            ["Listing:SweepPass"] = "00:00:02",
        }, time: clock);
        using var client = await ConnectionMultiplexer.ConnectAsync(redis.Endpoint);
        var db = client.GetDatabase();

        var import = await Support.Agent.ImportObservationsAsync(redis.Endpoint, $"{V4}\tLinux 2.6", $"{V6}\tFreeBSD 6");
        Assert.Equal(0, import.ExitCode);
        Assert.Equal(["127.0.0.3"], await Dig.WaitForAsync(server.Port, V4Name, "A", a => a.Length == 1, TimeSpan.FromSeconds(5)));
        Assert.Equal(["127.0.0.3"], await Dig.WaitForAsync(server.Port, V6Name, "A", a => a.Length == 1, TimeSpan.FromSeconds(5)));
        var record = ListingRecord.Unpack((await AgentFacts.RecordAsync(db, V4))!.Value);
        Assert.Equal(ObservationSources.Import, record.Sources);

        // noon of the last day it is listed (last seen + MaxAge), then the first minute of the day after
        var lastSeen = DateTimeOffset.UnixEpoch.AddDays(ListingRecord.DayNumber(DateTimeOffset.UtcNow) - ((ListingRecord.DayNumber(DateTimeOffset.UtcNow) - record.LastDay) & 4095));
        clock.Offset = lastSeen.AddDays(3).AddHours(12) - DateTimeOffset.UtcNow;
        await Task.Delay(500);                                            // several follower polls: nothing may change
        Assert.Equal(["127.0.0.3"], await Dig.ShortAsync(server.Port, V4Name, "A"));
        Assert.Equal(["127.0.0.3"], await Dig.ShortAsync(server.Port, V6Name, "A"));
        Assert.NotNull(await AgentFacts.RecordAsync(db, V4));

        clock.Offset = lastSeen.AddDays(4).AddMinutes(1) - DateTimeOffset.UtcNow;
        Assert.Empty(await Dig.WaitForAsync(server.Port, V4Name, "A", a => a.Length == 0, TimeSpan.FromSeconds(1)));
        Assert.Equal("NXDOMAIN", Dig.Status(await Dig.RunAsync(server.Port, V4Name, "TXT")));
        Assert.Equal("NXDOMAIN", Dig.Status(await Dig.RunAsync(server.Port, V6Name, "A")));

        // the sweep (one pass every 2 s; 2,304 paced round trips, so allow for a loaded machine) takes both out of Redis and the index
        for (int i = 0; i < 300 && (await AgentFacts.RecordAsync(db, V4) is not null || await AgentFacts.RecordAsync(db, V6) is not null); i++) await Task.Delay(100);
        Assert.Null(await AgentFacts.RecordAsync(db, V4));
        Assert.Null(await AgentFacts.RecordAsync(db, V6));
        await Task.Delay(300);
        Assert.False(server.Index.Addresses.TryGet(EngineHarness.V4(V4), out _));
        Assert.False(server.Index.Addresses.TryGet(EngineHarness.V6(V6), out _));

        // an agent on the same (moved) clock observes it again: listed again, with the new source
        await AgentFacts.ObserveAsync(db, V4, "Linux 2.6", clock.GetUtcNow(), ObservationSources.Capture);
        Assert.Equal(["127.0.0.3"], await Dig.WaitForAsync(server.Port, V4Name, "A", a => a.Length == 1, TimeSpan.FromSeconds(2)));
        Assert.Equal(ObservationSources.Capture, ListingRecord.Unpack((await AgentFacts.RecordAsync(db, V4))!.Value).Sources);
        Assert.Contains(server.Log, l => l.Contains("Sweep pass done", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Observations_imported_with_an_old_seen_time_are_stored_as_old_and_not_answered()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var server = await DnsFpServer.StartAsync(redis.Endpoint, settings: new Dictionary<string, string?> { ["Listing:Sweep"] = "false" });
        using var client = await ConnectionMultiplexer.ConnectAsync(redis.Endpoint);
        var db = client.GetDatabase();
        var twentyDaysAgo = DateTimeOffset.UtcNow.AddDays(-20);
        var import = await Support.Agent.ImportObservationsAsync(redis.Endpoint,
            $"{V4}\tLinux 2.6\tLinux\t{twentyDaysAgo:yyyy-MM-ddTHH:mm:ssZ}", $"198.51.100.9\tLinux 2.6\t\t{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}");
        Assert.Equal(0, import.ExitCode);
        Assert.Equal(["127.0.0.3"], await Dig.WaitForAsync(server.Port, "9.100.51.198.fp.example.org", "A", a => a.Length == 1, TimeSpan.FromSeconds(5)));
        Assert.Equal("NXDOMAIN", Dig.Status(await Dig.RunAsync(server.Port, V4Name, "A")));
        int? stored = await AgentFacts.RecordAsync(db, V4);
        Assert.NotNull(stored);
        Assert.Equal(20, ListingRecord.AgeDays(stored.Value, ListingRecord.DayNumber(DateTimeOffset.UtcNow)));
    }
}
