using System.Diagnostics;
using DnsFp.Tests.Support;

namespace DnsFp.Tests.Integration;

/// <summary>The programs as separate processes, with the command lines the README documents, and their exit codes.</summary>
public sealed class CommandLineTests
{
    [Fact]
    public async Task Server_and_agent_processes_work_with_the_documented_command_lines()
    {
        await using var redis = await RedisServer.StartAsync();
        var import = await Cli.RunAsync("dnsfp-agent", "import", "--redis", redis.Endpoint,
            "--pf-states", RepoPaths.Sample("pfctl-vvss.txt"), "--pf-rules", RepoPaths.Sample("pfctl-vvsr.txt"), "--exim-log", RepoPaths.Sample("exim-mainlog"));
        Assert.Equal(0, import.ExitCode);
        Assert.Contains("wrote 488 facts", import.Output, StringComparison.Ordinal);

        int port = FreePort.Tcp();
        using var server = Process.Start(Cli.StartInfo("dnsfp-server", "run", "--listen", $"127.0.0.1:{port}", "--listen", $"[::1]:{port}", "--zones", RepoPaths.Zones, "--redis", redis.Endpoint))!;
        try
        {
            var a = await Dig.WaitForAsync(port, "10.2.0.192.fp.example.org", "A", x => x.SequenceEqual(["127.0.0.19"]), TimeSpan.FromSeconds(30));
            Assert.Equal(["127.0.0.19"], a);
            var v6 = await RunDigAsync("@::1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "2.0.0.127.fp.example.org", "A", "+short");
            Assert.Equal("127.0.0.2", v6.Trim());

            var stats = await Cli.RunAsync("dnsfp-server", "stats", "--redis", redis.Endpoint);
            Assert.Equal(0, stats.ExitCode);
            Assert.Matches(@"AIX\s+3\s+97\s+97\.0%", stats.Output);
            var byLabel = await Cli.RunAsync("dnsfp-server", "stats", "--redis", redis.Endpoint, "--by", "label");
            Assert.Matches(@"Windows 2000 RFC1323\s+20\s+10\s+33\.3%\s+Windows\s+127\.0\.0\.15", byLabel.Output);
        }
        finally
        {
            server.Kill();
            await server.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task Import_reports_unparseable_lines_with_numbers_and_exits_65_after_importing_the_rest()
    {
        await using var redis = await RedisServer.StartAsync();
        var dir = Directory.CreateTempSubdirectory("dnsfp-cli-").FullName;
        try
        {
            string log = Path.Combine(dir, "mainlog");
            await File.WriteAllLinesAsync(log,
            [
                "2026-11-20 10:00:00 1vA001-000001-AB <= a@example.net H=mx.example.net [192.0.2.1]:4000 P=esmtp S=100",
                "garbage that is not an exim line",
                "2026-11-20 10:00:02 1vA001-000002-AB <= b@example.net H=mx.example.net P=esmtp S=100",
                "2026-11-20 10:00:03 H=(x) [192.0.2.2]:4001 F=<s@example.com> rejected RCPT <u@example.org>: no",
            ]);
            var r = await Cli.RunAsync("dnsfp-agent", "import", "--redis", redis.Endpoint, "--exim-log", log);
            Assert.Equal(65, r.ExitCode);
            Assert.Contains("1 accepted, 1 rejected", r.Output, StringComparison.Ordinal);
            Assert.Contains("wrote 2 facts", r.Output, StringComparison.Ordinal);
            Assert.Contains("2 line(s) could not be parsed", r.Errors, StringComparison.Ordinal);
            Assert.Contains("line 2: no Exim timestamp", r.Errors, StringComparison.Ordinal);
            Assert.Contains("line 3: arrival with H= but no [address]", r.Errors, StringComparison.Ordinal);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public async Task Import_exit_codes_say_what_went_wrong()
    {
        var missing = await Cli.RunAsync("dnsfp-agent", "import", "--exim-log", "/nonexistent/mainlog");
        Assert.Equal(66, missing.ExitCode);
        Assert.Contains("does not exist", missing.Errors, StringComparison.Ordinal);

        var halfPf = await Cli.RunAsync("dnsfp-agent", "import", "--pf-states", RepoPaths.Sample("pfctl-vvss.txt"));
        Assert.Equal(64, halfPf.ExitCode);

        int closed = FreePort.Tcp();
        var noRedis = await Cli.RunAsync("dnsfp-agent", "import", "--redis", $"127.0.0.1:{closed}", "--exim-log", RepoPaths.Sample("exim-mainlog"));
        Assert.Equal(69, noRedis.ExitCode);
        Assert.Contains("unreachable", noRedis.Errors, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("import", "--bogus")]
    [InlineData("import", "--exim-log")]
    [InlineData("run", "--no-such-flag")]
    public async Task Bad_flags_exit_64_with_the_usage_line(string verb, string flag)
    {
        var r = await Cli.RunAsync("dnsfp-agent", verb, flag);
        Assert.Equal(64, r.ExitCode);
        Assert.Contains($"usage: dnsfp-agent {verb} ", r.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_ordinary_exim_mainlog_and_rejectlog_and_a_postfix_log_import_with_exit_0()
    {
        var dir = Directory.CreateTempSubdirectory("dnsfp-logs-").FullName;
        try
        {
            string main = Path.Combine(dir, "mainlog"), reject = Path.Combine(dir, "rejectlog"), postfix = Path.Combine(dir, "mail.log");
            await File.WriteAllLinesAsync(main, [
                "2026-12-07 06:00:00 1vA001-000001-AB <= a@example.net H=mx.example.net [192.0.2.1]:40000 P=esmtp S=1234",
                "2026-12-07 06:00:01 Warning: purging the environment.",
                " Suggested action: use keep_environment.",
                "",
                "2026-12-07 06:00:02 TLS connection from [192.0.2.2]:4567 dropped by 'connect' ACL: banned",
            ]);
            await File.WriteAllLinesAsync(reject, [
                "2026-12-07 06:00:03 1vA002-000002-AB H=mx.example.com [192.0.2.3]:1 F=<s@example.com> rejected after DATA: spam",
                "Envelope-from: <s@example.com>",
                "Envelope-to: <u@example.org>",
                "P Received: from mx.example.com ([192.0.2.3])",
                "\tby mx.example.org with esmtp (Exim 4.96)",
                "\tid 1vA002-000002-AB",
                "I Message-ID: <x@example.com>",
                "F From: s@example.com",
                "  Subject: buy now",
            ]);
            await File.WriteAllLinesAsync(postfix, [
                "Dec 7 06:00:00 mail postfix/smtpd[7]: 4F3A1C2B3D: client=mx.example.net[192.0.2.4]",
                "Dec 7 06:00:00 mail postfix/smtpd[7]: 4F3A1C2B3D: reject: RCPT from mx.example.net[192.0.2.4]: 550 5.1.1 <x@example.org>: Recipient address rejected; from=<s@example.net> to=<x@example.org> proto=ESMTP helo=<mx>",
                "Dec 7 06:00:01 mail postfix/qmgr[9]: 4F3A1C2B3D: from=<s@example.net>, size=1, nrcpt=1 (queue active)",
                "",
                "Dec 7 06:00:02 mail postfix/cleanup[8]: 5B5B5B5B5B: milter-reject: END-OF-MESSAGE from mx.example.net[192.0.2.5]: 5.7.1 Spam; from=<s@example.net> to=<u@example.org> proto=ESMTP helo=<mx>",
            ]);
            var r = await Cli.RunAsync("dnsfp-agent", "import", "--exim-log", main, "--exim-log", reject, "--postfix-log", postfix, "--dry-run");
            Assert.True(r.ExitCode == 0, r.Output + r.Errors);
            Assert.Contains($"exim {main}: 5 lines, 1 accepted, 1 rejected verdicts, 1 of exim's own continuation lines skipped", r.Output, StringComparison.Ordinal);
            Assert.Contains($"exim {reject}: 9 lines, 0 accepted, 1 rejected verdicts, 8 of exim's own continuation lines skipped", r.Output, StringComparison.Ordinal);
            Assert.Contains($"postfix {postfix}: 5 lines, 1 accepted, 2 rejected verdicts", r.Output, StringComparison.Ordinal);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public async Task Server_refuses_to_start_on_a_missing_zone_folder_with_a_clear_message()
    {
        var r = await Cli.RunAsync("dnsfp-server", "run", "--listen", "127.0.0.1:0", "--zones", "/nonexistent/zones", "--redis", "127.0.0.1:1");
        Assert.Equal(78, r.ExitCode);
        Assert.Contains("zone folder '/nonexistent/zones' does not exist", r.Errors, StringComparison.Ordinal);
    }

    /// <summary>Each kind of check the generated validators run (a range, a TimeSpan range, an options class's own
    /// Validate), in the programs as shipped: the native binaries check them too (packaging/test-native.sh).</summary>
    [Theory]
    [InlineData("DNSFP_Bands__WindowDays", "0", "WindowDays")]
    [InlineData("DNSFP_Transfer__Allow__0", "192.0.2.300 NOKEY", "Transfer:Allow: '192.0.2.300 NOKEY'")]
    [InlineData("DNSFP_Transfer__Allow__0", "192.0.2.53 xfr-key", "Transfer:KeyFile is not set")]
    [InlineData("DNSFP_Transfer__Notify__0", "192.0.2.0/24 NOKEY", "a NOTIFY target is one address")]
    [InlineData("DNSFP_Fold__ChangeFeedAge", "00:00:01", "ChangeFeedAge")]
    [InlineData("DNSFP_Listing__MaxAge", "00:00:01", "Listing:MaxAge")]
    public async Task Server_refuses_settings_out_of_bounds_and_names_them(string variable, string value, string named)
    {
        var r = await Cli.RunAsync("dnsfp-server", new Dictionary<string, string> { [variable] = value },
            "run", "--listen", "127.0.0.1:0", "--zones", RepoPaths.Zones, "--redis", "127.0.0.1:1");
        Assert.Equal(78, r.ExitCode);
        Assert.Contains("invalid settings", r.Errors, StringComparison.Ordinal);
        Assert.Contains(named, r.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Server_refuses_a_transfer_key_file_others_can_read_or_that_lacks_a_named_key()
    {
        string dir = Directory.CreateTempSubdirectory("dnsfp-keys-").FullName;
        try
        {
            string keys = TransferKeys.Write(dir, "xfr-key", Convert.ToBase64String(new byte[32]));
            var env = new Dictionary<string, string> { ["DNSFP_Transfer__Allow__0"] = "127.0.0.1 other-key", ["DNSFP_Transfer__KeyFile"] = keys };
            var r = await Cli.RunAsync("dnsfp-server", env, "run", "--listen", "127.0.0.1:0", "--zones", RepoPaths.Zones, "--redis", "127.0.0.1:1");
            Assert.Equal(78, r.ExitCode);
            Assert.Contains("key 'other-key'", r.Errors, StringComparison.Ordinal);

            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(keys, (UnixFileMode)0b110_100_100);
            env["DNSFP_Transfer__Allow__0"] = "127.0.0.1 xfr-key";
            r = await Cli.RunAsync("dnsfp-server", env, "run", "--listen", "127.0.0.1:0", "--zones", RepoPaths.Zones, "--redis", "127.0.0.1:1");
            Assert.Equal(78, r.ExitCode);
            Assert.Contains("others can read it", r.Errors, StringComparison.Ordinal);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public async Task Agent_refuses_settings_out_of_bounds_and_names_them()
    {
        string state = Directory.CreateTempSubdirectory("dnsfp-settings-").FullName;
        try
        {
            var r = await Cli.RunAsync("dnsfp-agent", new Dictionary<string, string> { ["DNSFP_Agent__PollInterval"] = "00:00:00.001" },
                "run", "--redis", "127.0.0.1:1", "--state-dir", state);
            Assert.Equal(78, r.ExitCode);
            Assert.Contains("invalid settings", r.Errors, StringComparison.Ordinal);
            Assert.Contains("PollInterval", r.Errors, StringComparison.Ordinal);
        }
        finally { Directory.Delete(state, true); }
    }

    [Fact]
    public async Task Help_explains_the_commands()
    {
        var r = await Cli.RunAsync("dnsfp-agent", "import", "--help");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("--pf-states", r.Output, StringComparison.Ordinal);
        Assert.Contains("Exit codes", r.Output, StringComparison.Ordinal);
    }

    private static async Task<string> RunDigAsync(params string[] args)
    {
        var psi = new ProcessStartInfo("dig") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        string output = await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        return output;
    }
}
