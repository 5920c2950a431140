using System.Diagnostics;
using DnsFp.Contract;
using DnsFp.Tests.Support;
using StackExchange.Redis;

namespace DnsFp.Tests.Integration;

/// <summary>
/// The daemon's PF source through a configured command. pfctl does not exist on Linux, so the command is a
/// script that prints pfctl output the test controls (as "doas -n /sbin/pfctl" would on a BSD).
/// </summary>
public sealed class PfSourceTests
{
    [Fact]
    public async Task Polls_pfctl_and_only_new_states_become_observations()
    {
        await using var redis = await RedisServer.StartAsync();
        var dir = Directory.CreateTempSubdirectory("dnsfp-pf-").FullName;
        string script = Path.Combine(dir, "fake-pfctl.sh");
        await File.WriteAllTextAsync(script, $"#!/bin/sh\ncase \"$1\" in -vvss) cat '{dir}/states';; -vvsr) cat '{dir}/rules';; *) echo \"unexpected $1\" >&2; exit 1;; esac\n");
        File.Copy(RepoPaths.Sample("pfctl-vvsr.txt"), Path.Combine(dir, "rules"));
        File.Copy(RepoPaths.Sample("pfctl-vvss.txt"), Path.Combine(dir, "states"));
        var agent = Process.Start(Cli.StartInfo("dnsfp-agent", "run", "--redis", redis.Endpoint, "--state-dir", Path.Combine(dir, "state"),
            "--pf-command", $"sh {script}", "--pf-interval", "300ms"))!;
        try
        {
            using var client = await ConnectionMultiplexer.ConnectAsync(redis.Endpoint);
            var db = client.GetDatabase();
            Assert.Equal(13, await WaitForLengthAsync(db, 13));              // the sample's 13 observed states
            await Task.Delay(1000);                                           // several polls of the same states
            Assert.Equal(13, (await AgentFacts.UnfoldedAsync(db)).Count);

            await File.AppendAllTextAsync(Path.Combine(dir, "states"), """
                all tcp 192.0.2.25:25 <- 198.51.100.200:4444       ESTABLISHED:ESTABLISHED
                   age 00:00:01, expires in 24:00:00, 1:1 pkts, 60:60 bytes, rule 6
                   id: 00000000000000ff creatorid: a2e0f312

                """);
            Assert.Equal(14, await WaitForLengthAsync(db, 14));
            var fact = Assert.Single(await AgentFacts.UnfoldedAsync(db), f => f.Address.ToString() == "198.51.100.200");
            Assert.Equal("Linux 2.6", fact.Label);

            await using var server = await DnsFpServer.StartAsync(redis.Endpoint);
            Assert.Equal(["127.0.0.3"], await Dig.WaitForAsync(server.Port, "200.100.51.198.fp.example.org", "A", a => a.Length == 1, TimeSpan.FromSeconds(10)));
        }
        finally
        {
            agent.Kill();
            await agent.WaitForExitAsync();
            Directory.Delete(dir, true);
        }
    }

    private static async Task<long> WaitForLengthAsync(IDatabase db, long expected)
    {
        long length = 0;
        for (int i = 0; i < 100 && (length = (await AgentFacts.UnfoldedAsync(db)).Count) < expected; i++) await Task.Delay(100);
        return length;
    }
}
