using System.Diagnostics;
using DnsFp.Tests.Support;

namespace DnsFp.Tests.Integration;

/// <summary>
/// The agent's firewall feed against the real programs: the sample DNSBL served by dnsfp-server (transfers allowed
/// to 127.0.0.1), the agent following it by AXFR/IXFR, and the real nft loading deploy/nftables/dnsfp.nft in a
/// network namespace with a listener on port 25; senders in a second namespace. PF cannot run on Linux: its path
/// is checked against a stand-in pfctl that records its command line and the table file it is given.
/// </summary>
public sealed class FirewallFeedTests : IAsyncLifetime
{
    private const string HighV4 = "192.0.2.10", LowV4 = "203.0.113.60", HighV6 = "2001:db8:99::10";

    private RedisServer _redis = null!;
    private DnsFpServer _server = null!;
    private readonly string _dir = Directory.CreateTempSubdirectory("dnsfp-firewall-").FullName;

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        await Support.Agent.ImportAsync(_redis.Endpoint, RepoPaths.Sample("pfctl-vvss.txt"), RepoPaths.Sample("pfctl-vvsr.txt"), RepoPaths.Sample("exim-mainlog"));
        _server = await StartServerAsync();
        await Dig.WaitForAsync(_server.Port, "60.113.0.203.fp.example.org", "A", a => a.SequenceEqual(["127.0.0.14"]), TimeSpan.FromSeconds(20));
        // an IPv6 sender with the label of the high-band IPv4 one: rated in the same band
        var txt = await Dig.WaitForAsync(_server.Port, "10.2.0.192.fp.example.org", "TXT", t => t.Length == 1, TimeSpan.FromSeconds(20));
        string label = txt.Single().Trim('"').Split(';')[0].Split(" [")[0];
        await Support.Agent.ImportObservationsAsync(_redis.Endpoint, $"{HighV6}\t{label}");
        await Dig.WaitForAsync(_server.Port, QueryBuilder.Reverse(HighV6) + ".fp.example.org", "A", a => a.SequenceEqual(["127.0.0.19"]), TimeSpan.FromSeconds(20));
    }

    private Task<DnsFpServer> StartServerAsync() =>
        DnsFpServer.StartAsync(_redis.Endpoint, settings: new Dictionary<string, string?> { ["Transfer:Allow:0"] = "127.0.0.1 NOKEY" });

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _redis.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Nftables_set_blocks_high_band_senders_follows_a_delisting_and_survives_a_server_outage()
    {
        await using var net = await SmtpNamespaces.StartAsync(HighV4, LowV4, HighV6);
        var load = await net.InServerAsync("nft", "-f", RepoPaths.Deploy("nftables/dnsfp.nft"));
        Assert.True(load.ExitCode == 0, load.Errors);
        // before the agent fills the sets, every sender gets the banner: what follows is the feed's doing
        foreach (var sender in new[] { HighV4, LowV4, HighV6 }) Assert.True((await net.ConnectAsync(sender)).Connected, sender);

        var log = new List<string>();
        var agent = StartAgent(log, "--firewall", "nftables", "--firewall-command", $"ip netns exec {net.Server} nft");
        try
        {
            await WaitForLogAsync(log, "now holds");
            var (high, low, high6) = (await net.ConnectAsync(HighV4), await net.ConnectAsync(LowV4), await net.ConnectAsync(HighV6));
            Assert.False(high.Connected, high.Said);
            Assert.Contains("Connection refused", high.Said, StringComparison.Ordinal);   // the ruleset's tcp reset
            Assert.True(low.Connected, low.Said);
            Assert.False(high6.Connected, high6.Said);

            // the sets hold exactly the zone's listings in band 127.0.0.19, as AXFR shows them
            var inBand = await ListedInBandAsync("127.0.0.19");
            Assert.Contains(HighV4, inBand);
            Assert.Contains(HighV6, inBand);
            Assert.Equal(inBand.Order(), (await SetElementsAsync(net)).Order());

            // a delisting reaches the firewall within a few refreshes (1 s here), by IXFR
            var delist = await Cli.RunAsync("dnsfp-server", "delist", HighV4, "--reason", "firewall test", "--redis", _redis.Endpoint);
            Assert.True(delist.ExitCode == 0, delist.Errors);
            var deadline = Stopwatch.StartNew();
            while (!(await net.ConnectAsync(HighV4)).Connected && deadline.Elapsed < TimeSpan.FromSeconds(15)) await Task.Delay(200);
            Assert.True((await net.ConnectAsync(HighV4)).Connected, string.Join('\n', log));
            Assert.False((await net.ConnectAsync(HighV6)).Connected);
            var afterDelisting = await SetElementsAsync(net);
            Assert.DoesNotContain(HighV4, afterDelisting);
            lock (log) Assert.Contains(log, l => l.Contains("from a IXFR differences): 0 in, 1 out", StringComparison.Ordinal));

            // the data source goes away: the last good set stays, and the agent says why
            await _server.DisposeAsync();
            await WaitForLogAsync(log, "keeps its last good");
            await Task.Delay(3000);
            Assert.Equal(afterDelisting.Order(), (await SetElementsAsync(net)).Order());
            Assert.False((await net.ConnectAsync(HighV6)).Connected);
            Assert.False(agent.HasExited);
        }
        finally
        {
            agent.Kill();
            await agent.WaitForExitAsync();
            _server = await StartServerAsync();
        }
    }

    [Fact]
    public async Task Nft_transaction_fills_a_big_set_and_empties_one_in_one_load()
    {
        await using var net = await SmtpNamespaces.StartAsync();
        Assert.Equal(0, (await net.InServerAsync("nft", "-f", RepoPaths.Deploy("nftables/dnsfp.nft"))).ExitCode);
        string file = Path.Combine(_dir, "t.nft");
        var many = Enumerable.Range(0, 2500).Select(i => new System.Net.IPAddress([198, 18, (byte)(i >> 8), (byte)i])).ToArray();
        await File.WriteAllTextAsync(file, DnsFp.Agent.Firewall.NftSets.Script("dnsfp", many));
        var r = await net.InServerAsync("nft", "-f", file);
        Assert.True(r.ExitCode == 0, r.Errors);
        Assert.Equal(2500, (await SetElementsAsync(net)).Count);
        // the next load has no IPv4 address at all: listed4 is flushed, no empty "add element" is written
        await File.WriteAllTextAsync(file, DnsFp.Agent.Firewall.NftSets.Script("dnsfp", [System.Net.IPAddress.Parse("2001:db8::1"), System.Net.IPAddress.Parse("2001:db8::2")]));
        r = await net.InServerAsync("nft", "-f", file);
        Assert.True(r.ExitCode == 0, r.Errors);
        Assert.Equal(["2001:db8::1", "2001:db8::2"], (await SetElementsAsync(net)).Order());
    }

    [Fact]
    public async Task Pf_table_is_replaced_with_exactly_the_doas_allowed_command_retried_after_a_failure_and_capped()
    {
        // a stand-in pfctl: records its arguments and the table file, fails the first two runs
        string recorded = Path.Combine(_dir, "pfctl-calls");
        string pfctl = Path.Combine(_dir, "pfctl");
        await File.WriteAllTextAsync(pfctl, $$"""
            #!/bin/sh
            n=$(cat {{_dir}}/count 2>/dev/null || echo 0); n=$((n+1)); echo $n > {{_dir}}/count
            if [ $n -le 2 ]; then echo "pfctl: Table does not exist." >&2; exit 1; fi
            echo "$*" >> {{recorded}}
            cp "$6" {{_dir}}/table-$n
            """);
        MakeExecutable(pfctl);
        var log = new List<string>();
        string state = Path.Combine(_dir, "state");
        var agent = StartAgent(log, "--state-dir", state, "--firewall", "pf", "--firewall-command", pfctl);
        try
        {
            await WaitForLogAsync(log, "now holds");
            // the failure is logged once, then retried after 1 s and 2 s
            Assert.Single(log, l => l.Contains("Table does not exist", StringComparison.Ordinal));
            // exactly the invocation deploy/pf/doas.conf allows, with this test's state folder
            string allowed = File.ReadAllLines(RepoPaths.Deploy("pf/doas.conf")).Single(l => l.StartsWith("permit", StringComparison.Ordinal) && l.Contains("replace", StringComparison.Ordinal));
            string doasArgs = allowed[(allowed.IndexOf(" args ", StringComparison.Ordinal) + 6)..].Replace("/var/db/dnsfp-agent", state, StringComparison.Ordinal);
            Assert.Equal(doasArgs, (await File.ReadAllLinesAsync(recorded)).Single());
            var inBand = await ListedInBandAsync("127.0.0.19");
            Assert.Equal(inBand.Order(), (await File.ReadAllLinesAsync(Path.Combine(_dir, "table-3"))).Order());
        }
        finally { agent.Kill(); await agent.WaitForExitAsync(); }

        // a table capped at 1 keeps one address and says what it left out
        File.Delete(recorded);
        var capped = StartAgent(log, "--state-dir", state, "--firewall", "pf", "--firewall-command", pfctl, "--firewall-max", "1", "--firewall-bands", "127.0.0.10-127.0.0.19");
        try
        {
            await WaitForLogAsync(log, "is full");
            await WaitForLogAsync(log, "holds 1 addresses");
            Assert.Single(await File.ReadAllLinesAsync(Path.Combine(_dir, "table-4")));
        }
        finally { capped.Kill(); await capped.WaitForExitAsync(); }
    }

    [Fact]
    public async Task A_refused_transfer_is_reported_in_words_and_leaves_the_table_alone()
    {
        await using var closed = await DnsFpServer.StartAsync(_redis.Endpoint);   // no Transfer:Allow: REFUSED, as NSD
        string pfctl = Path.Combine(_dir, "pfctl-never");
        await File.WriteAllTextAsync(pfctl, $"#!/bin/sh\ntouch {_dir}/ran\n");
        MakeExecutable(pfctl);
        var log = new List<string>();
        var agent = StartAgent(log, "--firewall", "pf", "--firewall-command", pfctl, "--firewall-server", $"127.0.0.1:{closed.Port}");
        try
        {
            await WaitForLogAsync(log, "REFUSED");
            await Task.Delay(2500);
            Assert.False(File.Exists(Path.Combine(_dir, "ran")));
            Assert.Single(log, l => l.Contains("REFUSED", StringComparison.Ordinal));   // once, not every refresh
        }
        finally { agent.Kill(); await agent.WaitForExitAsync(); }
    }

    private static void MakeExecutable(string path)
    {
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private Process StartAgent(List<string> log, params string[] args)
    {
        string[] all = ["run", "--firewall-refresh", "1s", .. args];
        if (!args.Contains("--firewall-server")) all = [.. all, "--firewall-server", $"127.0.0.1:{_server.Port}"];
        if (!args.Contains("--state-dir")) all = [.. all, "--state-dir", Path.Combine(_dir, "state-" + Guid.NewGuid().ToString("N")[..6])];
        return Cli.StartLogged("dnsfp-agent", log, all);
    }

    private static async Task WaitForLogAsync(List<string> log, string text)
    {
        var started = Stopwatch.StartNew();
        while (started.Elapsed < TimeSpan.FromSeconds(30))
        {
            lock (log) if (log.Any(l => l.Contains(text, StringComparison.Ordinal))) return;
            await Task.Delay(50);
        }
        lock (log) throw new TimeoutException($"the agent did not log '{text}' within 30 s:\n{string.Join('\n', log)}");
    }

    /// <summary>The addresses the zone lists with this A value, from dig's AXFR (test entries left out).</summary>
    private async Task<List<string>> ListedInBandAsync(string band)
    {
        var axfr = await Dig.RunAsync(_server.Port, "fp.example.org", "AXFR");
        return [.. axfr.Split('\n').Select(l => l.Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length == 5 && f[3] == "A" && f[4] == band)
            .Select(f => QueryBuilder.AddressOf(f[0].TrimEnd('.')[..^".fp.example.org".Length]))
            .Where(a => !a.StartsWith("127.", StringComparison.Ordinal))];
    }

    private static async Task<List<string>> SetElementsAsync(SmtpNamespaces net)
    {
        var all = new List<string>();
        foreach (var set in new[] { "listed4", "listed6" })
        {
            var r = await net.InServerAsync("nft", "-j", "list", "set", "inet", "dnsfp", set);
            Assert.True(r.ExitCode == 0, r.Errors);
            using var json = System.Text.Json.JsonDocument.Parse(r.Output);
            foreach (var item in json.RootElement.GetProperty("nftables").EnumerateArray())
            {
                if (item.TryGetProperty("set", out var s) && s.TryGetProperty("elem", out var elems))
                    all.AddRange(elems.EnumerateArray().Select(e => e.GetString()!));
            }
        }
        return all;
    }
}
