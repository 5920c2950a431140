using DnsFp.Contract;
using DnsFp.Tests.Support;
using StackExchange.Redis;

namespace DnsFp.Tests.Integration;

/// <summary>The shipped ACL (deploy/redis/users.acl.example): agents can append facts and nothing else; servers can do their work.</summary>
public sealed class RedisAclTests
{
    private static string ShippedAcl()
    {
        var text = File.ReadAllText(RepoPaths.Deploy("redis/users.acl.example"))
            .Replace("REPLACE-WITH-A-LONG-RANDOM-AGENT-PASSWORD", "agent-secret", StringComparison.Ordinal)
            .Replace("REPLACE-WITH-A-LONG-RANDOM-SERVER-PASSWORD", "server-secret", StringComparison.Ordinal);
        // the test itself also needs an admin user to look around
        return string.Join('\n', text.Split('\n').Where(l => !l.StartsWith('#'))) + "\nuser default on nopass ~* &* +@all\n";
    }

    [Fact]
    public async Task Agents_only_append_and_servers_fold_and_answer_with_their_users()
    {
        await using var redis = await RedisServer.StartAsync(ShippedAcl());
        string agent = $"{redis.Endpoint},user=dnsfp-agent,password=agent-secret";
        string serverUser = $"{redis.Endpoint},user=dnsfp-server,password=server-secret";

        var import = await Support.Agent.ImportAsync(agent, RepoPaths.Sample("pfctl-vvss.txt"), RepoPaths.Sample("pfctl-vvsr.txt"), RepoPaths.Sample("exim-mainlog"));
        Assert.Equal(0, import.ExitCode);
        Assert.DoesNotContain("agent-secret", import.Output + import.Errors, StringComparison.Ordinal);

        using (var asAgent = await ConnectionMultiplexer.ConnectAsync(RedisConnection.AppendOnly(agent)))
        {
            var db = asAgent.GetDatabase();
            await Assert.ThrowsAsync<RedisServerException>(() => db.StreamRangeAsync(RedisKeys.Facts(0)));
            await Assert.ThrowsAsync<RedisServerException>(() => db.KeyDeleteAsync(RedisKeys.Facts(0)));
            await Assert.ThrowsAsync<RedisServerException>(() => db.HashSetAsync(RedisKeys.LabelIds, "x", 1));
            await Assert.ThrowsAsync<RedisServerException>(() => db.StreamAddAsync("other", "k", "v"));
        }

        await using var server = await DnsFpServer.StartAsync(serverUser);
        Assert.Equal(["127.0.0.19"], await Dig.WaitForAsync(server.Port, "10.2.0.192.fp.example.org", "A", a => a.SequenceEqual(["127.0.0.19"]), TimeSpan.FromSeconds(10)));
        var stats = new StringWriter();
        Assert.Equal(0, await DnsFp.Server.Commands.StatsCommand.RunAsync(serverUser, null, false, stats));
        Assert.Matches(@"AIX\s+3\s+97", stats.ToString());
        Assert.DoesNotContain(server.Log, l => l.Contains("NOPERM", StringComparison.Ordinal));
        Assert.DoesNotContain(server.Log, l => l.Contains("Change notices unavailable", StringComparison.Ordinal));   // the shipped ACL allows the channel
    }
}
