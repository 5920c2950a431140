using DnsFp.Tests.Support;

namespace DnsFp.Tests.Integration;

/// <summary>
/// One private Redis, the bundled sample imported through the agent, and the server answering from it: what
/// demo.sh sets up, shared by the contract tests of a class.
/// </summary>
public sealed class SampleDnsbl : IAsyncLifetime
{
    public RedisServer Redis { get; private set; } = null!;
    public DnsFpServer Server { get; private set; } = null!;
    public Support.Agent.Result Import { get; private set; } = null!;

    public int Port => Server.Port;

    public async Task InitializeAsync()
    {
        Redis = await RedisServer.StartAsync();
        Import = await Support.Agent.ImportAsync(Redis.Endpoint, RepoPaths.Sample("pfctl-vvss.txt"), RepoPaths.Sample("pfctl-vvsr.txt"), RepoPaths.Sample("exim-mainlog"));
        Server = await DnsFpServer.StartAsync(Redis.Endpoint);
        // the last address in the sample's fold order is rated once everything is folded
        await Dig.WaitForAsync(Port, "60.113.0.203.fp.example.org", "A", a => a.SequenceEqual(["127.0.0.14"]), TimeSpan.FromSeconds(20));
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await Redis.DisposeAsync();
    }
}
