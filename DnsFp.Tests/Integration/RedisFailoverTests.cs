using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using DnsFp.Contract;
using DnsFp.Tests.Support;
using StackExchange.Redis;

namespace DnsFp.Tests.Integration;

/// <summary>
/// Issue #16: dnsfp on Redis Sentinel (1 primary, 2 replicas, 3 sentinels) and on a Redis Cluster (3 primaries with
/// a replica each), the same binaries and settings format. A real agent daemon follows a mail log (verdicts) and a p0f log
/// (observations) while the primary is killed with SIGKILL mid-stream, after taking writes alone for a moment (its
/// replicas cut off: what it confirmed then dies with it), and the sentinels promote a replica. Agent and
/// server follow the new primary without a restart; afterwards the counts equal the generator's exactly and every
/// observed address is listed with its label, and DNS answered every query during the failover.
/// </summary>
public sealed class RedisFailoverTests
{
    private static readonly string[] Labels = ["Linux 3.11 and newer", "Windows 7 or 8", "FreeBSD 9.x or newer", "Mac OS X"];

    [Theory]
    [InlineData("sentinel")]
    [InlineData("cluster")]
    public async Task A_primary_killed_mid_stream_loses_no_fact_and_dns_answers_throughout(string setup)
    {
        await using IFailoverRedis set = setup == "cluster" ? await RedisClusterSet.StartAsync() : await RedisSentinelSet.StartAsync();
        await using var server = await DnsFpServer.StartAsync(set.Endpoint);
        var dir = Directory.CreateTempSubdirectory("dnsfp-failover-").FullName;
        string mailLog = Path.Combine(dir, "mainlog"), p0fLog = Path.Combine(dir, "p0f.log"), state = Path.Combine(dir, "state");
        var mail = new MailLogGenerator(mailLog, postfix: false, seed: 16);
        var observed = new Dictionary<string, string>();
        File.WriteAllText(p0fLog, "");
        var agentOutput = new List<string>();
        var agent = Cli.StartLogged("dnsfp-agent", agentOutput, "run", "--redis", set.Endpoint, "--state-dir", state, "--exim-log", mailLog, "--p0f-log", p0fLog);
        using var probing = new CancellationTokenSource();
        try
        {
            // an address listed before the failover, asked about all through it
            ObserveOne(p0fLog, observed, "198.51.0.1", Labels[1]);
            Assert.StartsWith("\"" + Labels[1] + ";", Assert.Single(await Dig.WaitForAsync(server.Port, "1.0.51.198.fp.example.org", "TXT", t => t.Length == 1, TimeSpan.FromSeconds(20))), StringComparison.Ordinal);
            var probe = ProbeAsync(server.Port, "1.0.51.198.fp.example.org", probing.Token);

            await WriteAsync(mail, p0fLog, observed, third: 0);
            var writing = WriteAsync(mail, p0fLog, observed, third: 1);       // writes go on while the primary dies
            await Task.Delay(1500);
            var (old, promoted) = await set.KillPrimaryAsync(unreplicated: TimeSpan.FromMilliseconds(400));
            await writing;
            await WriteAsync(mail, p0fLog, observed, third: 2);

            var totals = await AgentTotals.WaitForAsync(set.Endpoint, mail.Accepted, mail.Rejected);
            await Task.Delay(2000);                                           // nothing more may arrive later
            totals = await AgentTotals.ReadAsync(set.Endpoint);
            probing.Cancel();
            var (asked, answered, problems) = await probe;
            string context = $"primary {old} killed, {promoted} promoted\nagent log:\n{string.Join('\n', agentOutput.TakeLast(30))}\nserver log:\n{string.Join('\n', server.Log.TakeLast(40))}";
            Assert.True((mail.Accepted, mail.Rejected) == totals, $"generator wrote {mail.Accepted} accepted / {mail.Rejected} rejected, dnsfp counted {totals}\n{context}");
            Assert.True(mail.Accepted > 500 && mail.Rejected > 500);

            // every observation reached the promoted primary: each address is stored with its last label
            using var redis = await ConnectionMultiplexer.ConnectAsync(RedisConnection.Options(set.Endpoint));
            var db = redis.GetDatabase();
            var names = (await db.HashGetAllAsync(RedisKeys.LabelNames)).ToDictionary(e => (int)e.Name, e => ((string)e.Value!).Split('\t')[0]);
            var wrong = new List<string>();
            foreach (var (address, label) in observed)
            {
                int? record = await AgentFacts.RecordAsync(db, address);
                string? stored = record is { } r ? names.GetValueOrDefault(ListingRecord.LabelOf(r)) : null;
                if (stored != label) wrong.Add($"{address}: {stored ?? "not stored"} instead of {label}");
            }
            Assert.True(wrong.Count == 0, $"{wrong.Count} of {observed.Count} observations lost or wrong: {string.Join("; ", wrong.Take(10))}\n{context}");
            Assert.True(observed.Count > 600);

            // DNS answered from the index all along, and answers the new data now
            Assert.True(asked > 50 && answered == asked, $"{answered} of {asked} queries answered during the failover; {string.Join("; ", problems.Take(5))}");
            var last = observed.Last();
            Assert.StartsWith("\"" + last.Value + ";", Assert.Single(await Dig.WaitForAsync(server.Port, QueryBuilder.Reverse(last.Key) + ".fp.example.org", "TXT", t => t.Length == 1, TimeSpan.FromSeconds(10))), StringComparison.Ordinal);
            Assert.False(agent.HasExited, "the agent must follow the new primary without a restart");
        }
        finally
        {
            probing.Cancel();
            if (!agent.HasExited) { agent.Kill(); await agent.WaitForExitAsync(); }
            Directory.Delete(dir, true);
        }
    }

    /// <summary>About 3 s of mail-log lines and observations of one third of the generator's addresses (198.51.x.y).</summary>
    private static async Task WriteAsync(MailLogGenerator mail, string p0fLog, Dictionary<string, string> observed, int third)
    {
        for (int step = 0; step < 12; step++)
        {
            mail.Write(150);
            lock (observed) Observe(p0fLog, observed, third * 12 + step);
            await Task.Delay(250);
        }
    }

    /// <summary>Appends p0f -o lines: client SYNs of 21 addresses of 198.51.0-3.x per step, each with a label of its own.</summary>
    private static void Observe(string p0fLog, Dictionary<string, string> observed, int step)
    {
        using var w = new StreamWriter(p0fLog, append: true);
        string stamp = DateTime.UtcNow.ToString("yyyy/MM/dd HH:mm:ss", CultureInfo.InvariantCulture);
        for (int k = 0; k < 21; k++)
        {
            string address = $"198.51.{step % 4}.{step / 4 * 21 + k + 2}";
            string label = Labels[(step + k) % Labels.Length];
            observed[address] = label;
            w.WriteLine($"[{stamp}] mod=syn|cli={address}/{40000 + k}|srv=192.0.2.25/25|subj=cli|os={label}|dist=0|params=none");
        }
    }

    private static void ObserveOne(string p0fLog, Dictionary<string, string> observed, string address, string label)
    {
        observed[address] = label;
        File.AppendAllText(p0fLog, $"[{DateTime.UtcNow.ToString("yyyy/MM/dd HH:mm:ss", CultureInfo.InvariantCulture)}] mod=syn|cli={address}/40000|srv=192.0.2.25/25|subj=cli|os={label}|dist=0|params=none\n");
    }

    /// <summary>
    /// Asks for one listed name 20 times a second until cancelled; counts the queries whose answer carries it, matched
    /// by id and allowed 3 s (a loaded 2-core machine can hold a reply back past a second; a lost one never comes).
    /// </summary>
    private static async Task<(int Asked, int Answered, List<string> Problems)> ProbeAsync(int port, string name, CancellationToken stop)
    {
        int asked = 0;
        var answered = new HashSet<ushort>();
        var problems = new List<string>();
        using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var target = new IPEndPoint(IPAddress.Loopback, port);
        using var receiving = new CancellationTokenSource();
        var receiver = Task.Run(async () =>
        {
            while (true)
            {
                UdpReceiveResult reply;
                try { reply = await udp.ReceiveAsync(receiving.Token); } catch (OperationCanceledException) { return; }
                ushort id = QueryBuilder.ReadId(reply.Buffer);
                int rcode = reply.Buffer[3] & 0xF, answers = reply.Buffer[6] << 8 | reply.Buffer[7];
                lock (answered)
                {
                    if (rcode == 0 && answers == 1) answered.Add(id);
                    else problems.Add($"query {id}: rcode {rcode}, {answers} answers");
                }
            }
        }, CancellationToken.None);
        while (!stop.IsCancellationRequested)
        {
            await udp.SendAsync(QueryBuilder.Build(name, 16, (ushort)(asked + 1)), target, CancellationToken.None);
            asked++;
            try { await Task.Delay(50, stop); } catch (OperationCanceledException) { break; }
        }
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(3)) { lock (answered) if (answered.Count == asked) break; await Task.Delay(50, CancellationToken.None); }
        receiving.Cancel();
        await receiver;
        lock (answered)
        {
            for (int id = 1; id <= asked; id++) if (!answered.Contains((ushort)id)) problems.Add($"query {id}: no answer within 3 s");
            return (asked, answered.Count, problems);
        }
    }
}
