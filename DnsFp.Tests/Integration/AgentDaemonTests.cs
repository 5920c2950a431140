using System.Diagnostics;
using System.Text.RegularExpressions;
using DnsFp.Tests.Support;
using StackExchange.Redis;

namespace DnsFp.Tests.Integration;

/// <summary>
/// The agent daemon as a real process following a real log while the log is rotated both ways, Redis goes away
/// and comes back, and the agent is killed with SIGKILL twice: the totals the server counts must equal exactly
/// what the generator wrote.
/// </summary>
public sealed class AgentDaemonTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Counts_are_exact_across_rotation_redis_outage_and_sigkill(bool postfix)
    {
        await using var redis = await RedisServer.StartAsync();
        await using var server = await DnsFpServer.StartAsync(redis.Endpoint);
        var dir = Directory.CreateTempSubdirectory("dnsfp-agent-").FullName;
        string log = Path.Combine(dir, postfix ? "mail.log" : "mainlog"), state = Path.Combine(dir, "state");
        var gen = new MailLogGenerator(log, postfix, seed: postfix ? 2 : 1);
        gen.Write(500);
        var agentOutput = new List<string>();
        Process StartAgent() => StartLogged(agentOutput, "run", "--redis", redis.Endpoint, "--state-dir", state, postfix ? "--postfix-log" : "--exim-log", log);
        var agent = StartAgent();
        try
        {
            await WriteSlowly(gen, 3000);
            Assert.Equal((gen.Accepted, gen.Rejected), await WaitForTotalsAsync(redis.Endpoint, gen.Accepted, gen.Rejected));   // phase1
            gen.RotateByRename();
            await WriteSlowly(gen, 2000);
            Assert.Equal((gen.Accepted, gen.Rejected), await WaitForTotalsAsync(redis.Endpoint, gen.Accepted, gen.Rejected));   // phase2
            agent.Kill();                                                   // SIGKILL, mid-stream
            await WriteSlowly(gen, 1000);
            agent = StartAgent();
            await WriteSlowly(gen, 1000);
            Assert.Equal((gen.Accepted, gen.Rejected), await WaitForTotalsAsync(redis.Endpoint, gen.Accepted, gen.Rejected));   // phase3
            await redis.StopAsync();                                        // Redis away: the agent spools
            await WriteSlowly(gen, 2000);
            gen.RotateByCopyTruncate();
            await WriteSlowly(gen, 2000);
            agent.Kill();                                                   // SIGKILL while Redis is away
            gen.RotateByRename();                                           // and a rotation while the agent is dead
            await WriteSlowly(gen, 1000);
            agent = StartAgent();
            await Task.Delay(1000);
            await redis.StartAgainAsync();
            await WriteSlowly(gen, 2000);

            var totals = await WaitForTotalsAsync(redis.Endpoint, gen.Accepted, gen.Rejected);
            await Task.Delay(2000);                                         // nothing more may arrive later
            totals = await ReadTotalsAsync(redis.Endpoint);
            long unfolded;
            using (var c = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(redis.Endpoint)) unfolded = await AgentFacts.UnfoldedEntriesAsync(c.GetDatabase());
            string spool = string.Join(", ", Directory.GetFiles(Path.Combine(state, "spool")).Select(f => $"{Path.GetFileName(f)}={new FileInfo(f).Length}"));
            Assert.True((gen.Accepted, gen.Rejected) == totals,
                $"unfolded facts in Redis: {unfolded}; spool: {spool}; sent.pos: {File.ReadAllText(Path.Combine(state, "spool", "sent.pos"))}\ngenerator wrote {gen.Accepted} accepted / {gen.Rejected} rejected, dnsfp counted {totals}; agent exited: {agent.HasExited}\nagent log:\n{string.Join('\n', agentOutput.TakeLast(40))}\nserver log:\n{string.Join('\n', server.Log)}");
            Assert.True(gen.Accepted > 1000 && gen.Rejected > 1000);
        }
        finally
        {
            if (!agent.HasExited) { agent.Kill(); await agent.WaitForExitAsync(); }
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public async Task Sigterm_stops_the_agent_cleanly_and_a_restart_continues_where_it_stopped()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var server = await DnsFpServer.StartAsync(redis.Endpoint);
        var dir = Directory.CreateTempSubdirectory("dnsfp-agent-").FullName;
        string log = Path.Combine(dir, "mainlog"), state = Path.Combine(dir, "state");
        var gen = new MailLogGenerator(log, postfix: false, seed: 3);
        var output = new List<string>();
        try
        {
            gen.Write(1000);
            var agent = StartLogged(output, "run", "--redis", redis.Endpoint, "--state-dir", state, "--exim-log", log);
            await WriteSlowly(gen, 1000);
            Assert.Equal((gen.Accepted, gen.Rejected), await WaitForTotalsAsync(redis.Endpoint, gen.Accepted, gen.Rejected));
            using (var term = Process.Start("kill", ["-TERM", agent.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) await term.WaitForExitAsync();
            using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20))) await agent.WaitForExitAsync(timeout.Token);
            Assert.Equal(0, agent.ExitCode);

            gen.Write(500);                                                 // written while the agent is stopped
            agent = StartLogged(output, "run", "--redis", redis.Endpoint, "--state-dir", state, "--exim-log", log);
            try
            {
                Assert.Equal((gen.Accepted, gen.Rejected), await WaitForTotalsAsync(redis.Endpoint, gen.Accepted, gen.Rejected));
                Assert.Contains(output, l => l.Contains("from byte", StringComparison.Ordinal) && !l.Contains("from byte 0", StringComparison.Ordinal));
            }
            finally { agent.Kill(); await agent.WaitForExitAsync(); }
        }
        finally { Directory.Delete(dir, true); }
    }

    private static async Task WriteSlowly(MailLogGenerator gen, int lines)
    {
        for (int i = 0; i < lines; i += 250)
        {
            gen.Write(Math.Min(250, lines - i));
            await Task.Delay(30);
        }
    }

    private static Process StartLogged(List<string> sink, params string[] args) => Cli.StartLogged("dnsfp-agent", sink, args);

    private static Task<(int, int)> WaitForTotalsAsync(string redis, int accepted, int rejected) => AgentTotals.WaitForAsync(redis, accepted, rejected);

    private static Task<(int, int)> ReadTotalsAsync(string redis) => AgentTotals.ReadAsync(redis);
}
