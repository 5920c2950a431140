using DnsFp.Tests.Support;

namespace DnsFp.Tests.Integration;

/// <summary>An observation written after the server loaded its index reaches DNS by the change stream, without a restart.</summary>
public sealed class FollowChangesTests
{
    [Fact]
    public async Task Observation_written_while_serving_is_answered_and_a_new_label_too()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var server = await DnsFpServer.StartAsync(redis.Endpoint);
        await Dig.WaitForAsync(server.Port, "2.0.0.127.fp.example.org", "A", a => a.Length == 1, TimeSpan.FromSeconds(5));
        Assert.Equal("NXDOMAIN", Dig.Status(await Dig.RunAsync(server.Port, "7.113.0.203.fp.example.org", "A")));

        var dir = Directory.CreateTempSubdirectory("dnsfp-follow-").FullName;
        try
        {
            string rules = Path.Combine(dir, "rules"), states = Path.Combine(dir, "states");
            await File.WriteAllTextAsync(rules, "@0 pass in quick proto tcp from any os \"OpenVMS 7.2\" to any port = 25 flags S/SA keep state\n");
            await File.WriteAllTextAsync(states, "all tcp 192.0.2.25:25 <- 203.0.113.7:4000       ESTABLISHED:ESTABLISHED\n   age 00:00:01, expires in 24:00:00, 1:1 pkts, 60:60 bytes, rule 0\n");
            var import = await Support.Agent.ImportAsync(redis.Endpoint, states, rules);
            Assert.Equal(0, import.ExitCode);
            var txt = await Dig.WaitForAsync(server.Port, "7.113.0.203.fp.example.org", "TXT", a => a.Length == 1, TimeSpan.FromSeconds(5));
            Assert.Equal(["\"OpenVMS 7.2; unrated, 0 verdicts\""], txt);
            Assert.Equal(["127.0.0.3"], await Dig.ShortAsync(server.Port, "7.113.0.203.fp.example.org", "A"));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public async Task Replayed_and_reimported_verdicts_are_counted_once()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var server = await DnsFpServer.StartAsync(redis.Endpoint);
        string log = RepoPaths.Sample("exim-mainlog");
        Assert.Equal(0, (await Support.Agent.ImportAsync(redis.Endpoint, eximLogs: log)).ExitCode);
        Assert.Equal(0, (await Support.Agent.ImportAsync(redis.Endpoint, eximLogs: log)).ExitCode);
        // No address is fingerprinted in this run, so every verdict counts under Unknown. Wait until the server
        // has folded (and deleted) every fact of both imports, then count.
        using (var redisClient = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(redis.Endpoint))
        {
            await AgentFacts.WaitFoldedAsync(redisClient.GetDatabase());
        }
        var output = new StringWriter();
        Assert.Equal(0, await DnsFp.Server.Commands.StatsCommand.RunAsync(redis.Endpoint, null, false, output));
        string table = output.ToString();
        Assert.Matches(@"Unknown\s+212\s+263\s+55\.4%", table);
        Assert.Matches(@"total\s+212\s+263\s", table);
    }

    [Fact]
    public async Task A_server_that_missed_trimmed_feed_entries_reloads_and_answers_what_they_carried()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var server = await DnsFpServer.StartAsync(redis.Endpoint);
        using var client = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(redis.Endpoint);
        var db = client.GetDatabase();
        await AgentFacts.ObserveAsync(db, "198.51.100.1", "Linux 2.6", DateTimeOffset.UtcNow);
        await Dig.WaitForAsync(server.Port, "1.100.51.198.fp.example.org", "A", a => a.Length == 1, TimeSpan.FromSeconds(5));

        // As if this server had stalled while the fold wrote three entries that the feed then trimmed by age: the
        // listing is in Redis, its feed entries are gone, and the next entry's sequence number jumps.
        var address = System.Net.IPAddress.Parse("198.51.100.2");
        int record = DnsFp.Contract.ListingRecord.First(DnsFp.Contract.ListingRecord.LabelOf((await AgentFacts.RecordAsync(db, "198.51.100.1"))!.Value),
            DnsFp.Contract.ListingRecord.DayNumber(DateTimeOffset.UtcNow), DnsFp.Contract.ObservationSources.Import).Pack();
        await db.HashSetAsync(DnsFp.Contract.AddressBuckets.KeyFor(address), DnsFp.Contract.AddressBuckets.FieldFor(address), record);
        long next = await db.StringIncrementAsync(DnsFp.Contract.RedisKeys.ChangesSequence, 4);
        await db.StreamAddAsync(DnsFp.Contract.RedisKeys.Changes, [new("q", next), new("c", 1)]);
        await db.PublishAsync(StackExchange.Redis.RedisChannel.Literal(DnsFp.Contract.RedisKeys.ChangesChannel), 1);

        Assert.Equal(["127.0.0.3"], await Dig.WaitForAsync(server.Port, "2.100.51.198.fp.example.org", "A", a => a.Length == 1, TimeSpan.FromSeconds(5)));
        Assert.Contains(server.Log, l => l.Contains("3 entries were trimmed", StringComparison.Ordinal));
        Assert.Equal(2, server.Log.Count(l => l.Contains("Index loaded", StringComparison.Ordinal)));
    }
}
