using System.Diagnostics;
using System.Text.RegularExpressions;
using DnsFp.Tests.Support;

namespace DnsFp.Tests.Integration;

/// <summary>
/// The agent daemon's /metrics (Agent:Http) scraped while it follows a real Exim log: lines and unparseable lines
/// per source equal to the file, facts spooled and sent equal to what "import --dry-run" finds in it, and while Redis
/// is down the spool's bytes, Redis' state and the age of the oldest unsent fact say so, until the spool drains.
/// </summary>
public sealed partial class AgentMetricsTests : IAsyncLifetime
{
    private RedisServer _redis = null!;
    private readonly string _dir = Directory.CreateTempSubdirectory("dnsfp-agent-metrics-").FullName;
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public async Task InitializeAsync() => _redis = await RedisServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _redis.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Counts_lines_and_facts_and_shows_the_spool_while_redis_is_down()
    {
        string log = Path.Combine(_dir, "mainlog");
        var sample = await File.ReadAllLinesAsync(RepoPaths.Sample("exim-mainlog"));
        await File.WriteAllLinesAsync(log, [.. sample, "this is not an exim line", "nor is this one"]);
        var dryRun = await Cli.RunAsync("dnsfp-agent", "import", "--dry-run", "--exim-log", log);
        var verdicts = Verdicts().Match(dryRun.Output);
        Assert.True(verdicts.Success, dryRun.Output + dryRun.Errors);
        long expectedFacts = long.Parse(verdicts.Groups[1].Value) + long.Parse(verdicts.Groups[2].Value);

        int port = FreePort.Tcp();
        var output = new List<string>();
        using var agent = Cli.StartLogged("dnsfp-agent", output, "run", "--redis", _redis.Endpoint, "--state-dir", Path.Combine(_dir, "state"),
            "--exim-log", log, "--http", $"127.0.0.1:{port}");
        try
        {
            // sent is counted as each batch is acknowledged, the spool's bytes as its segments are released: wait for both
            var m = await WaitForAsync(port, s => s.Value("dnsfp_agent_facts_sent_total") >= expectedFacts && s.Value("dnsfp_agent_spool_bytes") == 0, output);
            Assert.Equal(sample.Length + 2, m.Value("dnsfp_agent_lines_total", "source=exim-mainlog"));
            Assert.Equal(2, m.Value("dnsfp_agent_lines_unparseable_total", "source=exim-mainlog"));
            Assert.Equal(expectedFacts, m.Value("dnsfp_agent_facts_spooled_total"));
            Assert.Equal(expectedFacts, m.Value("dnsfp_agent_facts_sent_total"));
            Assert.Equal(0, m.Value("dnsfp_agent_spool_bytes"));
            Assert.Equal(1, m.Value("dnsfp_agent_redis_up"));
            Assert.Equal(0, m.Value("dnsfp_agent_spool_oldest_unsent_seconds"));
            var charted = GrafanaDashboard.MetricFamilies("dnsfp_agent_");
            Assert.True(charted.Count >= 4, string.Join(", ", charted));
            Assert.All(charted, name => Assert.True(m.Types.ContainsKey(name), $"deploy/grafana/dnsfp.json charts {name}, which the agent's /metrics does not have"));

            await _redis.StopAsync();
            await File.AppendAllLinesAsync(log, sample);                     // the same day again: new lines, new facts
            m = await WaitForAsync(port, s => s.Value("dnsfp_agent_facts_spooled_total") >= 2 * expectedFacts && s.Value("dnsfp_agent_spool_oldest_unsent_seconds") >= 1, output);
            Assert.Equal(0, m.Value("dnsfp_agent_redis_up"));
            Assert.True(m.Value("dnsfp_agent_spool_bytes") > 0);
            Assert.Equal(expectedFacts, m.Value("dnsfp_agent_facts_sent_total"));
            Assert.Equal(2 * sample.Length + 2, m.Value("dnsfp_agent_lines_total", "source=exim-mainlog"));

            await _redis.StartAgainAsync();
            m = await WaitForAsync(port, s => s.Value("dnsfp_agent_spool_bytes") == 0 && s.Value("dnsfp_agent_facts_sent_total") >= 2 * expectedFacts, output, TimeSpan.FromSeconds(30));
            Assert.Equal(2 * expectedFacts, m.Value("dnsfp_agent_facts_sent_total"));
            Assert.Equal(1, m.Value("dnsfp_agent_redis_up"));
        }
        finally
        {
            agent.Kill();
            await agent.WaitForExitAsync();
        }
    }

    private static async Task<PrometheusText> WaitForAsync(int port, Func<PrometheusText, bool> condition, List<string> output, TimeSpan? timeout = null)
    {
        var started = Stopwatch.StartNew();
        string last = "";
        while (started.Elapsed < (timeout ?? TimeSpan.FromSeconds(20)))
        {
            try
            {
                last = await Http.GetStringAsync($"http://127.0.0.1:{port}/metrics");
                var parsed = PrometheusText.Parse(last);
                if (condition(parsed)) return parsed;
            }
            catch (HttpRequestException) { }                                  // not listening yet
            await Task.Delay(200);
        }
        lock (output) throw new TimeoutException("metrics never got there; last scrape:\n" + last + "\nagent:\n" + string.Join('\n', output));
    }

    [GeneratedRegex(@"(\d+) accepted, (\d+) rejected verdicts")]
    private static partial Regex Verdicts();
}
