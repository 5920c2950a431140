using DnsFp.Contract;
using DnsFp.Tests.Support;
using StackExchange.Redis;

namespace DnsFp.Tests.Integration;

/// <summary>Two servers sweeping one Redis, and an exclusion file changed while the server runs.</summary>
public sealed class SweepAndExclusionTests
{
    [Fact]
    public async Task Two_servers_sweep_one_Redis_each_expired_listing_removed_exactly_once_and_current_ones_kept()
    {
        await using var redis = await RedisServer.StartAsync();
        using var client = await ConnectionMultiplexer.ConnectAsync(redis.Endpoint);
        var db = client.GetDatabase();
        var sweep = new Dictionary<string, string?> { ["Listing:SweepPass"] = "00:00:03" };
        await using var first = await DnsFpServer.StartAsync(redis.Endpoint, settings: sweep);
        await using var second = await DnsFpServer.StartAsync(redis.Endpoint, settings: sweep);
        var old = DateTimeOffset.UtcNow.AddDays(-30);
        var expired = new List<string>();
        for (int i = 0; i < 1500; i++) expired.Add($"203.0.{i / 250}.{i % 250 + 1}");
        for (int i = 0; i < 100; i++) expired.Add($"2001:db8::{i + 1:x}");
        var current = Enumerable.Range(1, 200).Select(i => $"198.51.100.{i}").ToList();
        // planted behind the sweep: it may already be passing; a second pass finds the rest
        foreach (var a in expired) await AgentFacts.ObserveAsync(db, a, "Linux 2.6", old);
        foreach (var a in current) await AgentFacts.ObserveAsync(db, a, "Linux 2.6", DateTimeOffset.UtcNow);
        await AgentFacts.WaitFoldedAsync(db);

        for (int i = 0; i < 200 && await AnyStoredAsync(db, expired); i++) await Task.Delay(100);
        Assert.False(await AnyStoredAsync(db, expired));
        foreach (var a in current) Assert.NotNull(await AgentFacts.RecordAsync(db, a));

        var removals = (await ChangeFeedEntries.AddressChangesAsync(db)).Where(c => c.Record == 0).Select(c => Convert.ToHexString(c.Address)).ToList();
        Assert.Equal(expired.Count, removals.Count);                                      // each once: no double work
        Assert.Equal(expired.Count, removals.Distinct().Count());
        await Task.Delay(300);
        foreach (var server in new[] { first, second })
        {
            Assert.False(server.Index.Addresses.TryGet(EngineHarness.V4(expired[0]), out _));
            Assert.False(server.Index.Addresses.TryGet(EngineHarness.V6(expired[^1]), out _));
            Assert.True(server.Index.Addresses.TryGet(EngineHarness.V4(current[0]), out _));
        }
        Assert.Equal(1, new[] { first, second }.Count(s => s.Log.Any(l => l.Contains("holds the sweep lease", StringComparison.Ordinal))));
    }

    private static async Task<bool> AnyStoredAsync(IDatabase db, List<string> addresses)
    {
        foreach (var a in addresses) if (await AgentFacts.RecordAsync(db, a) is not null) return true;
        return false;
    }

    [Fact]
    public async Task An_exclusion_file_changed_while_serving_takes_effect_and_a_bad_one_changes_nothing()
    {
        await using var redis = await RedisServer.StartAsync();
        string file = Path.Combine(Path.GetTempPath(), $"dnsfp-exclude-{Guid.NewGuid():N}.txt");
        await File.WriteAllTextAsync(file, "# partners\n");
        try
        {
            await using var server = await DnsFpServer.StartAsync(redis.Endpoint, settings: new Dictionary<string, string?>
            {
                ["Listing:ExcludeFile"] = file,
                ["Listing:Sweep"] = "false",
            });
            string name = QueryBuilder.Reverse("198.51.100.20") + ".fp.example.org";
            Assert.Equal(0, (await Support.Agent.ImportObservationsAsync(redis.Endpoint, "198.51.100.20\tLinux 2.6")).ExitCode);
            Assert.Single(await Dig.WaitForAsync(server.Port, name, "A", a => a.Length == 1, TimeSpan.FromSeconds(5)));

            await File.WriteAllTextAsync(file, "# partners\n!198.51.100.0/24  # relay\n");
            Assert.Empty(await Dig.WaitForAsync(server.Port, name, "A", a => a.Length == 0, TimeSpan.FromSeconds(3)));

            await File.WriteAllTextAsync(file, "198.51.100.0/24\n198.51.100.300\n");
            for (int i = 0; i < 30 && !server.Log.Any(l => l.Contains("line 2", StringComparison.Ordinal)); i++) await Task.Delay(100);
            Assert.Contains(server.Log, l => l.Contains("Exclusions not reloaded", StringComparison.Ordinal) && l.Contains("line 2", StringComparison.Ordinal));
            Assert.Empty(await Dig.ShortAsync(server.Port, name, "A"));

            await File.WriteAllTextAsync(file, "# nothing excluded now\n");
            Assert.Single(await Dig.WaitForAsync(server.Port, name, "A", a => a.Length == 1, TimeSpan.FromSeconds(3)));
        }
        finally { File.Delete(file); }
    }
}

/// <summary>SIGHUP to a real server process re-reads the exclusion file, even when its time and size did not change, and the server keeps running.</summary>
public sealed class ExclusionHangupTests
{
    [Fact]
    public async Task Sighup_rereads_the_exclusion_file_and_the_server_keeps_serving()
    {
        await using var redis = await RedisServer.StartAsync();
        string file = Path.Combine(Path.GetTempPath(), $"dnsfp-exclude-{Guid.NewGuid():N}.txt");
        await File.WriteAllTextAsync(file, "203.0.113.0/24 \n");                 // 16 bytes, as the range written later
        var stamp = File.GetLastWriteTimeUtc(file);
        int port = FreePort.Tcp();
        var psi = Cli.StartInfo("dnsfp-server", "run", "--listen", $"127.0.0.1:{port}", "--zones", RepoPaths.Zones, "--redis", redis.Endpoint);
        psi.Environment["DNSFP_Listing__ExcludeFile"] = file;
        psi.Environment["DNSFP_Listing__Sweep"] = "false";
        using var server = System.Diagnostics.Process.Start(psi)!;
        try
        {
            string name = QueryBuilder.Reverse("198.51.100.20") + ".fp.example.org";
            await Dig.WaitForAsync(port, "2.0.0.127.fp.example.org", "A", a => a.Length == 1, TimeSpan.FromSeconds(15));
            Assert.Equal(0, (await Support.Agent.ImportObservationsAsync(redis.Endpoint, "198.51.100.20\tLinux 2.6")).ExitCode);
            Assert.Single(await Dig.WaitForAsync(port, name, "A", a => a.Length == 1, TimeSpan.FromSeconds(5)));

            await File.WriteAllTextAsync(file, "198.51.100.0/24\n");
            File.SetLastWriteTimeUtc(file, stamp);
            Assert.Equal(16, new FileInfo(file).Length);
            await Task.Delay(1500);
            Assert.Single(await Dig.ShortAsync(port, name, "A"));               // same time and size: not noticed by polling
            using (var hup = System.Diagnostics.Process.Start("kill", ["-HUP", server.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) await hup.WaitForExitAsync();
            Assert.Empty(await Dig.WaitForAsync(port, name, "A", a => a.Length == 0, TimeSpan.FromSeconds(3)));
            Assert.False(server.HasExited);
        }
        finally
        {
            if (!server.HasExited) server.Kill();
            await server.WaitForExitAsync();
            File.Delete(file);
        }
    }
}
