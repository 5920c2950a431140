using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using DnsFp.Agent.Sources.P0f;
using DnsFp.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace DnsFp.Tests.Integration;

/// <summary>
/// Against the real p0f 3.09b (Debian's p0f; .ci/run installs it; capturing needs root, as CI is): p0f watches a
/// loopback port, the test opens a TCP connection to it, and the agent's API client must get the answer p0f
/// itself logs for that SYN.
/// </summary>
public sealed class P0fTests
{
    [Fact]
    public async Task Api_client_gets_what_p0f_logs_for_a_real_syn()
    {
        var dir = Directory.CreateTempSubdirectory("dnsfp-p0f-").FullName;
        string socketPath = Path.Combine(dir, "p0f.sock"), log = Path.Combine(dir, "p0f.log");
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var psi = new ProcessStartInfo(File.Exists("/usr/sbin/p0f") ? "/usr/sbin/p0f" : "p0f") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-i", "lo", "-s", socketPath, "-o", log, $"tcp port {port}" }) psi.ArgumentList.Add(a);
        using var p0f = Process.Start(psi) ?? throw new InvalidOperationException("p0f is not installed (.ci/run installs it)");
        try
        {
            for (int i = 0; i < 100 && !File.Exists(socketPath); i++) await Task.Delay(50);
            Assert.True(File.Exists(socketPath), "p0f did not open its API socket: " + (p0f.HasExited ? await p0f.StandardError.ReadToEndAsync() : "still starting"));
            await Task.Delay(300);                                              // capture running

            using (var client = new TcpClient())
            {
                await client.ConnectAsync(IPAddress.Loopback, port);
                using var accepted = await listener.AcceptTcpClientAsync();
            }
            string? logged = null;
            for (int i = 0; i < 100 && logged is null; i++)
            {
                await Task.Delay(50);
                logged = File.Exists(log) ? File.ReadLines(log).Select(P0fLogLine.Read).FirstOrDefault(r => r.Kind == P0fLogLine.Kind.Observation).Label : null;
            }
            Assert.NotNull(logged);

            await using var api = new P0fApiClient(socketPath);
            var replies = await api.QueryAsync([IPAddress.Loopback, IPAddress.Parse("192.0.2.99"), IPAddress.Loopback], CancellationToken.None);
            Assert.Equal(P0fApiReply.Status.Ok, replies[0].Result);
            // the API gives p0f's name only; the log gives the name and the signature key of its raw_sig
            Assert.Equal(DnsFp.Contract.SynSignature.NameOf(logged!), replies[0].OsName.Length == 0 ? "unnamed" : replies[0].Label);
            Assert.Equal(P0fApiReply.Status.NoMatch, replies[1].Result);            // never seen
            Assert.Equal(replies[0], replies[2]);                                  // pipelined on one connection

            var lookup = new P0fLookup(api, TimeProvider.System, NullLogger<P0fLookup>.Instance);
            var facts = await lookup.ObserveAsync([IPAddress.Loopback, IPAddress.Parse("192.0.2.99")], 1, CancellationToken.None);
            var fact = Assert.Single(facts);
            Assert.Equal(("127.0.0.1", DnsFp.Contract.SynSignature.NameOf(logged!)), (fact.Address.ToString(), fact.Label));   // the API has no raw_sig
            Assert.Empty(await lookup.ObserveAsync([IPAddress.Loopback], 2, CancellationToken.None));   // asked recently

            // the daemon following p0f's own log (which p0f keeps flock()ed) turns the SYN into an observation
            await using var redis = await RedisServer.StartAsync();
            using var agent = Process.Start(Cli.StartInfo("dnsfp-agent", "run", "--redis", redis.Endpoint, "--state-dir", Path.Combine(dir, "state"), "--p0f-log", log))!;
            try
            {
                using var r = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(redis.Endpoint);
                List<DnsFp.Contract.Fact> folded = [];
                for (int i = 0; i < 100 && folded.Count == 0; i++) { await Task.Delay(100); folded = await AgentFacts.UnfoldedAsync(r.GetDatabase()); }
                var observed = Assert.Single(folded);
                Assert.Equal(("127.0.0.1", logged), (observed.Address.ToString(), observed.Label));
            }
            finally { agent.Kill(); await agent.WaitForExitAsync(); }
        }
        finally
        {
            if (!p0f.HasExited) { p0f.Kill(); await p0f.WaitForExitAsync(); }
            Directory.Delete(dir, true);
        }
    }
}
