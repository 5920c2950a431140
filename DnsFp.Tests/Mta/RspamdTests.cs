using DnsFp.Tests.Support;

namespace DnsFp.Tests.Mta;

/// <summary>
/// The shipped rspamd entry (deploy/rspamd/rbl.conf.dnsfp) and TXT symbol (deploy/rspamd/dnsfp.lua) in the real
/// rspamd 3.4, its resolver pointed at dnsfp inside the namespace; rspamc shows the band symbol and the OS.
/// </summary>
public sealed class RspamdTests(NetnsDnsbl dnsbl) : IClassFixture<NetnsDnsbl>
{
    private const string Message = "From: a@example.net\nTo: u@example.org\nSubject: t\nMessage-ID: <x@example.net>\n\nbody\n";

    [Fact]
    public async Task Rspamc_shows_the_band_symbol_and_the_os()
    {
        string conf = Path.Combine(dnsbl.Dir, "rspamd");
        string local = Path.Combine(conf, "local.d");
        Directory.CreateDirectory(local);
        foreach (var d in new[] { "db", "run", "log" })
        {
            Directory.CreateDirectory(Path.Combine(conf, d));
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(Path.Combine(conf, d), (UnixFileMode)0b111_111_111);   // rspamd runs as _rspamd
        }
        File.Copy(RepoPaths.Deploy("rspamd/rbl.conf.dnsfp"), Path.Combine(local, "rbl.conf"));
        File.Copy(RepoPaths.Deploy("rspamd/dnsfp.lua"), Path.Combine(conf, "rspamd.local.lua"));
        await File.WriteAllTextAsync(Path.Combine(local, "options.inc"), "dns { nameserver = [\"127.0.0.1:53\"]; timeout = 2s; }\ndisable_hyperscan = true;\n");
        await File.WriteAllTextAsync(Path.Combine(local, "logging.inc"), $"type = \"file\";\nfilename = \"{conf}/log/rspamd.log\";\nlevel = \"info\";\n");
        await File.WriteAllTextAsync(Path.Combine(local, "worker-normal.inc"), "bind_socket = \"127.0.0.1:11333\";\n");
        await File.WriteAllTextAsync(Path.Combine(local, "worker-controller.inc"), "bind_socket = \"127.0.0.1:11334\";\n");
        await File.WriteAllTextAsync(Path.Combine(local, "worker-proxy.inc"), "enabled = false;\n");
        await File.WriteAllTextAsync(Path.Combine(local, "worker-fuzzy.inc"), "enabled = false;\n");
        dnsbl.StartInside("rspamd", "-f", "-u", "_rspamd", "-g", "_rspamd", "-c", "/etc/rspamd/rspamd.conf", "--var", $"LOCAL_CONFDIR={conf}",
            "--var", $"DBDIR={conf}/db", "--var", $"RUNDIR={conf}/run", "--var", $"LOGDIR={conf}/log");
        for (int i = 0; i < 240 && (await dnsbl.ExecAsync("rspamc", "-h", "127.0.0.1:11334", "stat")).ExitCode != 0; i++) await Task.Delay(250);

        var high = await ScanAsync("192.0.2.10");
        Assert.Contains("Symbol: RBL_DNSFP_B9", high, StringComparison.Ordinal);
        Assert.Contains("Symbol: DNSFP_OS (0.00)[AIX]", high, StringComparison.Ordinal);
        var linux6 = await ScanAsync("2001:db8::40");
        Assert.Contains("Symbol: RBL_DNSFP_B1", linux6, StringComparison.Ordinal);
        Assert.Contains("Symbol: DNSFP_OS (0.00)[Linux 2.6]", linux6, StringComparison.Ordinal);
        var unlisted = await ScanAsync("192.0.2.99");
        Assert.Contains("Action:", unlisted, StringComparison.Ordinal);                      // it did scan
        Assert.DoesNotContain("DNSFP", unlisted, StringComparison.Ordinal);
        Assert.Contains("added rbl rule RBL_DNSFP", await File.ReadAllTextAsync(Path.Combine(conf, "log", "rspamd.log")), StringComparison.Ordinal);

        // rspamd's log as a verdict source: the agent's reading of each scan's action agrees with what rspamc said
        var gtube = await dnsbl.ExecWithInputAsync(Message.Replace("body", "XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X", StringComparison.Ordinal),
            "rspamc", "-h", "127.0.0.1:11333", "--ip", "198.51.100.66");
        var actions = new[] { high, linux6, unlisted, gtube.Output }
            .Select(o => System.Text.RegularExpressions.Regex.Match(o, @"Action: ([a-z ]+)").Groups[1].Value.Trim()).ToList();
        Assert.Contains("reject", actions);
        int expectAccepted = actions.Count(a => a == "no action");
        int expectRejected = actions.Count(a => a is "reject" or "add header" or "rewrite subject");
        string log = Path.Combine(conf, "log", "rspamd.log");
        for (int i = 0; i < 40 && System.Text.RegularExpressions.Regex.Count(await File.ReadAllTextAsync(log), "rspamd_task_write_log") < 4; i++) await Task.Delay(250);
        var import = await Cli.RunAsync("dnsfp-agent", "import", "--rspamd-log", log, "--dry-run");
        Assert.True(import.ExitCode == 0, import.Output + import.Errors);
        Assert.Contains($"{expectAccepted} accepted, {expectRejected} rejected verdicts", import.Output, StringComparison.Ordinal);
    }

    private async Task<string> ScanAsync(string ip) => (await dnsbl.ExecWithInputAsync(Message, "rspamc", "-h", "127.0.0.1:11333", "--ip", ip)).Output;
}
