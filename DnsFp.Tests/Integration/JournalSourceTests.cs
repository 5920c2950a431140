using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using DnsFp.Tests.Support;

namespace DnsFp.Tests.Integration;

/// <summary>
/// "run --journal-unit" on genuine journal files: Postfix lines from the generator are written as journal entries by
/// Debian's systemd-journal-remote (the journal export format in, a real .journal file out) while the agent follows
/// the folder with journalctl; the agent is killed with SIGKILL in the middle and restarted. The totals the server
/// counts must equal exactly what the generator wrote: nothing lost, nothing counted twice.
/// </summary>
public sealed partial class JournalSourceTests
{
    private const string JournalRemote = "/lib/systemd/systemd-journal-remote";

    [Fact]
    public async Task Journal_verdicts_are_exact_across_a_sigkill_and_a_restart_from_the_saved_cursor()
    {
        Assert.True(File.Exists(JournalRemote), "systemd-journal-remote is not installed (.ci/run installs it)");
        await using var redis = await RedisServer.StartAsync();
        await using var server = await DnsFpServer.StartAsync(redis.Endpoint);
        var dir = Directory.CreateTempSubdirectory("dnsfp-journal-").FullName;
        string journal = Path.Combine(dir, "journal"), state = Path.Combine(dir, "state"), text = Path.Combine(dir, "mail.log");
        Directory.CreateDirectory(journal);
        var gen = new MailLogGenerator(text, postfix: true, seed: 7);
        long monotonic = 0, consumed = 0;
        async Task WriteAsync(int lines)
        {
            for (int done = 0; done < lines; done += 250)
            {
                gen.Write(Math.Min(250, lines - done));
                var all = await File.ReadAllLinesAsync(text);
                var export = new StringBuilder();
                foreach (var line in all.Skip((int)consumed))
                {
                    var m = SyslogLine().Match(line);
                    Assert.True(m.Success, line);
                    long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000 + monotonic % 1000;
                    export.Append($"__REALTIME_TIMESTAMP={now}\n__MONOTONIC_TIMESTAMP={++monotonic}\n_BOOT_ID=0123456789abcdef0123456789abcdef\n")
                        .Append($"_HOSTNAME=mail\n_SYSTEMD_UNIT={(m.Groups["ident"].Value.StartsWith("postfix", StringComparison.Ordinal) ? "postfix@-.service" : "dovecot.service")}\n")
                        .Append($"SYSLOG_IDENTIFIER={m.Groups["ident"].Value}\n{(m.Groups["pid"].Success ? $"SYSLOG_PID={m.Groups["pid"].Value}\n" : "")}")
                        .Append($"PRIORITY=6\nMESSAGE={m.Groups["message"].Value}\n\n");
                }
                consumed = all.Length;
                var psi = new ProcessStartInfo(JournalRemote, ["-o", Path.Combine(journal, "remote.journal"), "-"]) { RedirectStandardInput = true, RedirectStandardError = true, UseShellExecute = false };
                using var p = Process.Start(psi)!;
                await p.StandardInput.WriteAsync(export.ToString());
                p.StandardInput.Close();
                string errors = await p.StandardError.ReadToEndAsync();
                await p.WaitForExitAsync();
                Assert.True(p.ExitCode == 0, errors);
                await Task.Delay(30);
            }
        }
        var output = new List<string>();
        Process Start() => Cli.StartLogged("dnsfp-agent", output, "run", "--redis", redis.Endpoint, "--state-dir", state,
            "--journal-directory", journal, "--journal-unit", "postfix@-.service");

        await WriteAsync(1000);
        var agent = Start();
        try
        {
            await WriteAsync(1500);
            agent.Kill();                                                   // SIGKILL, mid-stream
            await agent.WaitForExitAsync();
            await WriteAsync(1000);                                         // written while the agent is dead
            agent = Start();
            await WriteAsync(1000);
            var totals = await AgentTotals.WaitForAsync(redis.Endpoint, gen.Accepted, gen.Rejected);
            await Task.Delay(1500);                                         // nothing more may arrive later
            totals = await AgentTotals.ReadAsync(redis.Endpoint);
            Assert.True((gen.Accepted, gen.Rejected) == totals,
                $"generator wrote {gen.Accepted} accepted / {gen.Rejected} rejected, dnsfp counted {totals}\nagent log:\n{string.Join('\n', output.TakeLast(30))}");
            Assert.True(gen.Accepted > 300 && gen.Rejected > 300);
            Assert.True(File.Exists(Path.Combine(state, "journal.position")));
        }
        finally
        {
            if (!agent.HasExited) { agent.Kill(); await agent.WaitForExitAsync(); }
            Directory.Delete(dir, true);
        }
    }

    // "Dec 07 06:00:00 mail postfix/smtpd[1234]: message"
    [GeneratedRegex(@"^\S+ +\d+ \S+ \S+ (?<ident>[^\[\s:]+)(?:\[(?<pid>\d+)\])?: (?<message>.*)$")]
    private static partial Regex SyslogLine();
}
