using System.Text.Json;
using DnsFp.Contract;
using DnsFp.Tests.Support;
using StackExchange.Redis;

namespace DnsFp.Tests.Integration;

/// <summary>
/// The operator commands as separate processes against a running server: lookup for every reason an address is or
/// is not listed (IPv4 and IPv6), delist and relist of an address and a range seen in DNS within a second, forget,
/// and bad input that changes nothing.
/// </summary>
public sealed class ListingOperatorTests
{
    private static string Name(string address) => QueryBuilder.Reverse(address) + ".fp.example.org";

    private static async Task<JsonElement> LookupAsync(string redis, string address, int expectedExit)
    {
        var r = await Cli.RunAsync("dnsfp-server", "lookup", address, "--json", "--redis", redis);
        Assert.True(r.ExitCode == expectedExit, $"lookup {address}: exit {r.ExitCode}, {r.Errors}{r.Output}");
        return JsonDocument.Parse(r.Output).RootElement;
    }

    [Fact]
    public async Task Lookup_explains_listed_never_seen_expired_excluded_and_delisted_and_matches_dig()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var server = await DnsFpServer.StartAsync(redis.Endpoint, settings: new Dictionary<string, string?> { ["Listing:Sweep"] = "false" });
        using var client = await ConnectionMultiplexer.ConnectAsync(redis.Endpoint);
        var db = client.GetDatabase();
        var now = DateTimeOffset.UtcNow;
        var import = await Support.Agent.ImportObservationsAsync(redis.Endpoint,
            "203.0.113.7\tLinux 2.6", "2001:db8::7\tLinux 2.6", $"203.0.113.8\tAIX 5.3\t\t{now.AddDays(-20).ToUnixTimeSeconds()}",
            "2001:db8::8\tAIX 5.3\t\t" + now.AddDays(-20).ToUnixTimeSeconds(), "10.1.2.3\tLinux 2.6", "fd00::3\tLinux 2.6");
        Assert.Equal(0, import.ExitCode);
        for (int i = 0; i < 60; i++) await AgentFacts.VerdictAsync(db, "203.0.113.7", i % 4 != 0, now, i);   // 45 accepted, 15 rejected
        await AgentFacts.WaitFoldedAsync(db);
        await Dig.WaitForAsync(server.Port, Name("203.0.113.7"), "TXT", a => a.Length == 1 && a[0].Contains("verdicts (label)", StringComparison.Ordinal), TimeSpan.FromSeconds(5));

        foreach (var listed in new[] { "203.0.113.7", "2001:db8::7" })
        {
            var j = await LookupAsync(redis.Endpoint, listed, 0);
            Assert.Equal("listed", j.GetProperty("status").GetString());
            Assert.Equal("Linux 2.6", j.GetProperty("label").GetString());
            Assert.Equal("Linux", j.GetProperty("class").GetString());
            Assert.Equal(["import"], j.GetProperty("sources").EnumerateArray().Select(s => s.GetString()));
            Assert.Contains(j.GetProperty("agentHosts").EnumerateArray(), h => h.GetString() == $"{Environment.MachineName} (import)");
            Assert.Equal(now.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), j.GetProperty("lastSeen").GetString());
            Assert.Equal(now.UtcDateTime.Date.AddDays(15).ToString("yyyy-MM-dd'T'00:00:00'Z'", System.Globalization.CultureInfo.InvariantCulture), j.GetProperty("expires").GetString());
            Assert.Equal((await Dig.ShortAsync(server.Port, Name(listed), "A")).Single(), j.GetProperty("a").GetString());
            Assert.Equal((await Dig.ShortAsync(server.Port, Name(listed), "TXT")).Single(), "\"" + j.GetProperty("txt").GetString() + "\"");
        }
        var rated = await LookupAsync(redis.Endpoint, "203.0.113.7", 0);
        Assert.Equal(45, rated.GetProperty("verdicts").GetProperty("accepted").GetInt32());
        Assert.Equal(15, rated.GetProperty("verdicts").GetProperty("rejected").GetInt32());
        Assert.Equal("label", rated.GetProperty("verdicts").GetProperty("ratedBy").GetString());       // 60 verdicts ≥ Bands:MinimumVerdicts (50)

        foreach (var (address, status) in new[] { ("192.0.2.200", "never-seen"), ("2001:db8::200", "never-seen"), ("203.0.113.8", "expired"),
                     ("2001:db8::8", "expired"), ("10.1.2.3", "excluded"), ("fd00::3", "excluded") })
        {
            var j = await LookupAsync(redis.Endpoint, address, 1);
            Assert.Equal(status, j.GetProperty("status").GetString());
            Assert.Equal(JsonValueKind.Null, j.GetProperty("a").ValueKind);
            Assert.Equal("NXDOMAIN", Dig.Status(await Dig.RunAsync(server.Port, Name(address), "A")));
        }
        Assert.Equal("AIX 5.3", (await LookupAsync(redis.Endpoint, "203.0.113.8", 1)).GetProperty("label").GetString());
        Assert.Equal("10.0.0.0/8", (await LookupAsync(redis.Endpoint, "10.1.2.3", 1)).GetProperty("excludedBy").GetString());
        Assert.Null(await AgentFacts.RecordAsync(db, "10.1.2.3"));                                  // excluded: never stored

        var text = await Cli.RunAsync("dnsfp-server", "lookup", "203.0.113.7", "--redis", redis.Endpoint);
        Assert.Contains("status:      listed", text.Output, StringComparison.Ordinal);
        Assert.Contains("rated by", text.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delist_and_relist_of_an_address_and_a_range_reach_DNS_within_a_second_and_are_audited()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var server = await DnsFpServer.StartAsync(redis.Endpoint, settings: new Dictionary<string, string?> { ["Listing:Sweep"] = "false" });
        using var client = await ConnectionMultiplexer.ConnectAsync(redis.Endpoint);
        var db = client.GetDatabase();
        Assert.Equal(0, (await Support.Agent.ImportObservationsAsync(redis.Endpoint, "198.51.100.10\tLinux 2.6", "198.51.100.20\tLinux 2.6", "2001:db8::10\tLinux 2.6")).ExitCode);
        foreach (var a in new[] { "198.51.100.10", "198.51.100.20", "2001:db8::10" })
            Assert.Single(await Dig.WaitForAsync(server.Port, Name(a), "A", x => x.Length == 1, TimeSpan.FromSeconds(5)));

        var delist = await Cli.RunAsync("dnsfp-server", "delist", "198.51.100.10", "--reason", "complaint #1", "--redis", redis.Endpoint);
        Assert.True(delist.ExitCode == 0, delist.Errors);
        Assert.Empty(await Dig.WaitForAsync(server.Port, Name("198.51.100.10"), "A", x => x.Length == 0, TimeSpan.FromSeconds(1)));
        Assert.Single(await Dig.ShortAsync(server.Port, Name("198.51.100.20"), "A"));
        var j = await LookupAsync(redis.Endpoint, "198.51.100.10", 1);
        Assert.Equal("delisted", j.GetProperty("status").GetString());
        Assert.Equal("complaint #1", j.GetProperty("delisting").GetProperty("reason").GetString());
        Assert.Equal(Environment.GetEnvironmentVariable("SUDO_USER") ?? Environment.UserName, j.GetProperty("delisting").GetProperty("user").GetString());

        // an observation while delisted is stored (its day and sources count) but does not list it
        await AgentFacts.ObserveAsync(db, "198.51.100.10", "Linux 2.6", DateTimeOffset.UtcNow, ObservationSources.Capture);
        await AgentFacts.WaitFoldedAsync(db);
        Assert.True(ListingRecord.Unpack((await AgentFacts.RecordAsync(db, "198.51.100.10"))!.Value).Sources.HasFlag(ObservationSources.Capture));
        await Task.Delay(300);
        Assert.Empty(await Dig.ShortAsync(server.Port, Name("198.51.100.10"), "A"));

        var range = await Cli.RunAsync("dnsfp-server", "delist", "198.51.100.0/24", "--reason", "whole range", "--for", "2d", "--redis", redis.Endpoint);
        Assert.True(range.ExitCode == 0, range.Errors);
        var v6 = await Cli.RunAsync("dnsfp-server", "delist", "2001:db8::/64", "--reason", "v6 range", "--redis", redis.Endpoint);
        Assert.True(v6.ExitCode == 0, v6.Errors);
        Assert.Empty(await Dig.WaitForAsync(server.Port, Name("198.51.100.20"), "A", x => x.Length == 0, TimeSpan.FromSeconds(1)));
        Assert.Empty(await Dig.WaitForAsync(server.Port, Name("2001:db8::10"), "A", x => x.Length == 0, TimeSpan.FromSeconds(1)));

        var list = await Cli.RunAsync("dnsfp-server", "delistings", "--redis", redis.Endpoint);
        Assert.Equal(0, list.ExitCode);
        Assert.Contains("198.51.100.0/24", list.Output, StringComparison.Ordinal);
        Assert.Contains("whole range", list.Output, StringComparison.Ordinal);
        Assert.Contains(DateTime.UtcNow.AddDays(2).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), list.Output, StringComparison.Ordinal);

        Assert.Equal(0, (await Cli.RunAsync("dnsfp-server", "relist", "198.51.100.0/24", "--redis", redis.Endpoint)).ExitCode);
        Assert.Single(await Dig.WaitForAsync(server.Port, Name("198.51.100.20"), "A", x => x.Length == 1, TimeSpan.FromSeconds(1)));
        Assert.Empty(await Dig.ShortAsync(server.Port, Name("198.51.100.10"), "A"));                 // its own delisting stays
        Assert.Equal(0, (await Cli.RunAsync("dnsfp-server", "relist", "2001:db8::/64", "--redis", redis.Endpoint)).ExitCode);
        Assert.Single(await Dig.WaitForAsync(server.Port, Name("2001:db8::10"), "A", x => x.Length == 1, TimeSpan.FromSeconds(1)));
        Assert.Equal(1, (await Cli.RunAsync("dnsfp-server", "relist", "198.51.100.0/25", "--redis", redis.Endpoint)).ExitCode);

        var audit = await db.StreamRangeAsync(RedisKeys.Audit);
        Assert.Equal(["delist", "delist", "delist", "relist", "relist"], audit.Select(e => (string?)e["action"]));
        Assert.Equal(["198.51.100.10", "198.51.100.0/24", "2001:db8::/64", "198.51.100.0/24", "2001:db8::/64"], audit.Select(e => (string?)e["target"]));
    }

    [Fact]
    public async Task Forget_erases_the_address_everywhere_and_audits_a_hash()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var server = await DnsFpServer.StartAsync(redis.Endpoint, settings: new Dictionary<string, string?> { ["Listing:Sweep"] = "false" });
        using var client = await ConnectionMultiplexer.ConnectAsync(redis.Endpoint);
        var db = client.GetDatabase();
        Assert.Equal(0, (await Support.Agent.ImportObservationsAsync(redis.Endpoint, "192.0.2.77\tLinux 2.6", "192.0.2.78\tLinux 2.6")).ExitCode);
        Assert.Single(await Dig.WaitForAsync(server.Port, Name("192.0.2.77"), "A", x => x.Length == 1, TimeSpan.FromSeconds(5)));
        Assert.Equal(0, (await Cli.RunAsync("dnsfp-server", "delist", "192.0.2.77", "--reason", "x", "--redis", redis.Endpoint)).ExitCode);

        var forget = await Cli.RunAsync("dnsfp-server", "forget", "192.0.2.77", "--redis", redis.Endpoint);
        Assert.True(forget.ExitCode == 0, forget.Errors);
        Assert.Equal("never-seen", (await LookupAsync(redis.Endpoint, "192.0.2.77", 1)).GetProperty("status").GetString());
        Assert.Null(await AgentFacts.RecordAsync(db, "192.0.2.77"));
        Assert.NotNull(await AgentFacts.RecordAsync(db, "192.0.2.78"));
        Assert.False(await db.HashExistsAsync(RedisKeys.Delistings, "192.0.2.77"));
        var raw = System.Net.IPAddress.Parse("192.0.2.77").GetAddressBytes();
        var changes = await ChangeFeedEntries.AddressChangesAsync(db);
        Assert.Contains(changes, c => c.Address.SequenceEqual(raw));                         // the removal every server applies
        Assert.All(changes, c => Assert.True(!c.Address.SequenceEqual(raw) || c.Record == 0, "a change entry still carries the address with a record"));
        var audit = await db.StreamRangeAsync(RedisKeys.Audit);
        Assert.DoesNotContain(audit, e => e.Values.Any(v => v.Value.ToString().Contains("192.0.2.77", StringComparison.Ordinal)));
        Assert.StartsWith("hmac-sha256:", (string?)audit.Single(e => e["action"] == "forget")["target"], StringComparison.Ordinal);
        await Task.Delay(300);
        Assert.False(server.Index.Addresses.TryGet(EngineHarness.V4("192.0.2.77"), out _));
    }

    [Theory]
    [InlineData("delist", "999.1.1.1", "'999.1.1.1' is not an IP address")]
    [InlineData("delist", "192.0.2.0/33", "prefix length")]
    [InlineData("delist", "192.0.2.5/24", "the range is 192.0.2.0/24")]
    [InlineData("delist", "192.0.2.", "not an IP address")]
    [InlineData("forget", "192.0.2.0/24", "forget takes one address")]
    [InlineData("lookup", "example.org", "not an IP address")]
    public async Task Bad_input_gets_one_line_naming_the_problem_and_changes_nothing(string verb, string target, string expected)
    {
        await using var redis = await RedisServer.StartAsync();
        var r = await Cli.RunAsync("dnsfp-server", verb, target, "--reason", "r", "--redis", redis.Endpoint);
        if (verb == "lookup" || verb == "forget") r = await Cli.RunAsync("dnsfp-server", verb, target, "--redis", redis.Endpoint);
        Assert.Equal(65, r.ExitCode);
        var lines = r.Errors.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.Contains(expected, lines[0], StringComparison.Ordinal);
        using var client = await ConnectionMultiplexer.ConnectAsync(redis.Endpoint);
        Assert.Empty(await client.GetServers()[0].KeysAsync().ToListAsync());
    }

    [Fact]
    public async Task An_unreadable_exclusion_file_stops_lookup_and_the_server_with_one_line()
    {
        await using var redis = await RedisServer.StartAsync();
        var env = new Dictionary<string, string> { ["DNSFP_Listing__ExcludeFile"] = "/nonexistent/dnsfp-exclude.txt" };
        var lookup = await Cli.RunAsync("dnsfp-server", env, "lookup", "192.0.2.1", "--redis", redis.Endpoint);
        Assert.Equal(78, lookup.ExitCode);
        Assert.Single(lookup.Errors.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("/nonexistent/dnsfp-exclude.txt", lookup.Errors, StringComparison.Ordinal);
        var run = await Cli.RunAsync("dnsfp-server", env, "run", "--listen", "127.0.0.1:0", "--zones", RepoPaths.Zones, "--redis", redis.Endpoint);
        Assert.Equal(78, run.ExitCode);
        Assert.Contains("/nonexistent/dnsfp-exclude.txt", run.Errors, StringComparison.Ordinal);
    }
}
