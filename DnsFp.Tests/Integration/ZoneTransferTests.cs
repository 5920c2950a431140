using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using DnsFp.Tests.Support;

namespace DnsFp.Tests.Integration;

/// <summary>
/// dnsfp as a primary (issue #15): AXFR and IXFR over TCP checked with dig (which verifies TSIG on every message),
/// the address and key rules, and the TSIG errors. The secondaries' own tests are in ZoneSecondaryTests.
/// </summary>
public sealed class ZoneTransferTests : IAsyncLifetime
{
    private RedisServer _redis = null!;
    private DnsFpServer _server = null!;
    private string _dir = null!;
    private string _secret = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        _dir = Directory.CreateTempSubdirectory("dnsfp-xfr-").FullName;
        _secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        string keys = TransferKeys.Write(_dir, "xfr-key", _secret);
        await File.WriteAllTextAsync(ExcludeFile, "# nothing excluded yet\n");
        Assert.Equal(0, (await Support.Agent.ImportAsync(_redis.Endpoint, RepoPaths.Sample("pfctl-vvss.txt"), RepoPaths.Sample("pfctl-vvsr.txt"), RepoPaths.Sample("exim-mainlog"))).ExitCode);
        _server = await DnsFpServer.StartAsync(_redis.Endpoint, settings: new Dictionary<string, string?>
        {
            ["Transfer:Allow:0"] = "127.0.0.1 xfr-key",
            ["Transfer:Allow:1"] = "127.0.0.2 NOKEY",
            ["Transfer:KeyFile"] = keys,
            ["Listing:ExcludeFile"] = ExcludeFile,
        });
        await Dig.WaitForAsync(_server.Port, "60.113.0.203.fp.example.org", "A", a => a.SequenceEqual(["127.0.0.14"]), TimeSpan.FromSeconds(20));
    }

    private string ExcludeFile => Path.Combine(_dir, "exclude.txt");

    [Fact]
    public async Task An_exclusion_added_while_serving_moves_the_serial_and_leaves_the_transfer()
    {
        uint before = Serial((await Dig.ShortAsync(_server.Port, "fp.example.org", "SOA"))[0]);
        await File.WriteAllTextAsync(ExcludeFile, "203.0.113.60   # a partner's relay\n");
        Assert.Empty(await Dig.WaitForAsync(_server.Port, "60.113.0.203.fp.example.org", "A", a => a.Length == 0, TimeSpan.FromSeconds(10)));
        var soa = await Dig.WaitForAsync(_server.Port, "fp.example.org", "SOA", a => a.Length == 1 && Serial(a[0]) != before, TimeSpan.FromSeconds(10));
        Assert.True(unchecked((int)(Serial(soa[0]) - before)) > 0, $"serial stayed {before} after the exclusion");
        var records = Records(await Dig.RunAsync(_server.Port, "-b", "127.0.0.2", "fp.example.org", "AXFR"));
        Assert.DoesNotContain(records, r => r.Name == "60.113.0.203.fp.example.org.");
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _redis.DisposeAsync();
        Directory.Delete(_dir, true);
    }

    [Fact]
    public async Task Axfr_holds_the_apex_the_test_entries_and_every_listing_exactly_as_queries_answer_them()
    {
        var records = Records(await Dig.RunAsync(_server.Port, "fp.example.org", "AXFR", "-y", $"hmac-sha256:xfr-key:{_secret}"));
        string soa = (await Dig.ShortAsync(_server.Port, "fp.example.org", "SOA"))[0];
        Assert.Equal(("fp.example.org.", "SOA"), (records[0].Name, records[0].Type));
        Assert.Equal(("fp.example.org.", "SOA"), (records[^1].Name, records[^1].Type));
        Assert.Equal(soa, records[0].Data);
        Assert.Contains(records, r => r is { Name: "ns1.fp.example.org.", Type: "A", Data: "127.0.0.1" });
        Assert.Contains(records, r => r is { Name: "2.0.0.127.fp.example.org.", Type: "A", Data: "127.0.0.2" });
        Assert.Contains(records, r => r is { Name: "2.0.0.0.0.0.f.7.f.f.f.f.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.fp.example.org.", Type: "TXT" });
        var listings = records.Where(r => r.Type == "A" && r.Name.EndsWith(".fp.example.org.", StringComparison.Ordinal) && r.Name != "ns1.fp.example.org.").ToList();
        Assert.True(listings.Count >= 10, $"only {listings.Count} A records transferred");
        Assert.Equal(listings.Count, records.Count(r => r.Type == "TXT"));
        // every tenth listing asked by query: the same A and TXT
        foreach (var a in listings.Where((_, i) => i % 10 == 0))
        {
            Assert.Equal([a.Data], await Dig.ShortAsync(_server.Port, a.Name, "A"));
            string txt = records.Single(r => r.Name == a.Name && r.Type == "TXT").Data;
            Assert.Equal([txt], await Dig.ShortAsync(_server.Port, a.Name, "TXT"));
        }
        Assert.Contains(_server.Log, l => l.Contains("AXFR of fp.example.org serial", StringComparison.Ordinal) && l.Contains("(xfr-key)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_serial_moves_when_a_listing_is_made_and_an_ixfr_from_the_old_serial_gets_only_the_difference()
    {
        var full = Records(await Dig.RunAsync(_server.Port, "-b", "127.0.0.2", "fp.example.org", "AXFR"));
        uint before = Serial(full[0].Data);
        using var client = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(_redis.Endpoint);
        await AgentFacts.ObserveAsync(client.GetDatabase(), "198.51.100.77", "OpenVMS 7.2", DateTimeOffset.UtcNow);
        await Dig.WaitForAsync(_server.Port, "77.100.51.198.fp.example.org", "A", a => a.Length == 1, TimeSpan.FromSeconds(10));
        uint after = Serial((await Dig.ShortAsync(_server.Port, "fp.example.org", "SOA"))[0]);
        Assert.True(unchecked((int)(after - before)) > 0, $"serial {before} → {after}");

        // RFC 1995 4: new SOA, old SOA, (nothing went), new SOA, the new listing's A and TXT, new SOA
        var ixfr = Records(await Dig.RunAsync(_server.Port, "-b", "127.0.0.2", "fp.example.org", $"IXFR={before}"));
        Assert.Equal([after, before, after], ixfr.Where(r => r.Type == "SOA").Take(3).Select(r => Serial(r.Data)));
        Assert.Equal(["SOA", "SOA", "SOA", "A", "TXT", "SOA"], ixfr.Select(r => r.Type));
        Assert.Equal("77.100.51.198.fp.example.org.", ixfr[3].Name);
        Assert.Contains(_server.Log, l => l.Contains($"IXFR of fp.example.org serial {before} → {after}", StringComparison.Ordinal));
        // a serial this server never sent: the whole zone
        var unknown = Records(await Dig.RunAsync(_server.Port, "-b", "127.0.0.2", "fp.example.org", $"IXFR={before - 1}"));
        Assert.Equal(full.Count + 2, unknown.Count);
        // already current: the SOA alone
        var current = Records(await Dig.RunAsync(_server.Port, "-b", "127.0.0.2", "fp.example.org", $"IXFR={after}"));
        Assert.Single(current);
        Assert.Equal(after, Serial(current[0].Data));
    }

    [Fact]
    public async Task Unsigned_or_foreign_requests_are_refused_and_bad_keys_get_the_tsig_error()
    {
        Assert.Contains("Transfer failed", await Dig.RunAsync(_server.Port, "fp.example.org", "AXFR"));                      // 127.0.0.1 must sign
        Assert.Contains(_server.Log, l => l.Contains("AXFR of fp.example.org from 127.0.0.1 refused (no key)", StringComparison.Ordinal));
        Assert.DoesNotContain("SOA", Records(await Dig.RunAsync(_server.Port, "-b", "127.0.0.3", "fp.example.org", "AXFR")).Select(r => r.Type));
        string wrong = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        string badSig = await Dig.RunAsync(_server.Port, "fp.example.org", "AXFR", "-y", $"hmac-sha256:xfr-key:{wrong}");
        Assert.Contains("BADSIG", badSig);
        string badKey = await Dig.RunAsync(_server.Port, "fp.example.org", "AXFR", "-y", $"hmac-sha256:other-key:{_secret}");
        Assert.Contains("BADKEY", badKey);
        Assert.Contains(_server.Log, l => l.Contains("TSIG key 'other-key'", StringComparison.Ordinal));
    }

    private static uint Serial(string soa) => uint.Parse(soa.Split(' ', StringSplitOptions.RemoveEmptyEntries)[2], System.Globalization.CultureInfo.InvariantCulture);

    internal sealed record Rr(string Name, string Type, string Data);

    /// <summary>The records of dig's AXFR/IXFR output (name, type, data), comments and TSIG left out.</summary>
    internal static List<Rr> Records(string digOutput) =>
        [.. digOutput.Split('\n').Where(l => l.Length > 0 && l[0] != ';')
            .Select(l => Regex.Match(l, @"^(\S+)\s+\d+\s+IN\s+(\S+)\s+(.*)$"))
            .Where(m => m.Success)
            .Select(m => new Rr(m.Groups[1].Value.ToLowerInvariant(), m.Groups[2].Value, m.Groups[3].Value.Trim()))];
}

/// <summary>A TSIG key file as `tsig-keygen` writes it, readable only by its owner (the server refuses others).</summary>
internal static class TransferKeys
{
    public static string Write(string dir, string name, string secret)
    {
        string path = Path.Combine(dir, "transfer.key");
        File.WriteAllText(path, $$"""
            key "{{name}}" {
            	algorithm hmac-sha256;
            	secret "{{secret}}";
            };
            """);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return path;
    }
}
