using DnsFp.Tests.Support;

namespace DnsFp.Tests.Integration;

/// <summary>The server starts without Redis, loads when it comes, follows changes, and keeps answering when it goes.</summary>
public sealed class RedisOutageTests
{
    [Fact]
    public async Task Starts_without_redis_loads_when_it_comes_and_keeps_answering_when_it_goes()
    {
        await using var redis = await RedisServer.StartAsync();
        await redis.StopAsync();
        await using var server = await DnsFpServer.StartAsync(redis.Endpoint);

        // Redis down: the test entries answer, listings are not there yet.
        Assert.Equal(["127.0.0.2"], await Dig.ShortAsync(server.Port, "2.0.0.127.fp.example.org", "A"));
        Assert.Equal("NXDOMAIN", Dig.Status(await Dig.RunAsync(server.Port, "10.2.0.192.fp.example.org", "A")));
        await Task.Delay(2500);                                           // a few retries: still one log line
        Assert.Single(server.Log, l => l.Contains("unreachable", StringComparison.Ordinal) && l.Contains("still answering", StringComparison.Ordinal));

        // Redis comes: the agent's facts are folded and answered.
        await redis.StartAgainAsync();
        var import = await Support.Agent.ImportAsync(redis.Endpoint, RepoPaths.Sample("pfctl-vvss.txt"), RepoPaths.Sample("pfctl-vvsr.txt"), RepoPaths.Sample("exim-mainlog"));
        Assert.Equal(0, import.ExitCode);
        Assert.Equal(["127.0.0.19"], await Dig.WaitForAsync(server.Port, "10.2.0.192.fp.example.org", "A", a => a.SequenceEqual(["127.0.0.19"]), TimeSpan.FromSeconds(10)));
        Assert.Contains(server.Log, l => l.Contains("Redis is back", StringComparison.Ordinal));

        // Redis goes away: the index stays.
        await redis.StopAsync();
        await Task.Delay(1500);
        Assert.Equal(["127.0.0.19"], await Dig.ShortAsync(server.Port, "10.2.0.192.fp.example.org", "A"));
        Assert.StartsWith("\"AIX;", Assert.Single(await Dig.ShortAsync(server.Port, "10.2.0.192.fp.example.org", "TXT", "+tcp")), StringComparison.Ordinal);
        Assert.Equal(2, server.Log.Count(l => l.Contains("unreachable", StringComparison.Ordinal) && l.Contains("still answering", StringComparison.Ordinal)));
    }
}
