using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using DnsFp.Agent.Sources.P0f;
using DnsFp.Contract;
using DnsFp.Tests.Support;
using StackExchange.Redis;

namespace DnsFp.Tests.Integration;

/// <summary>
/// The daemon's capture source on the loopback interface (needs root or CAP_NET_RAW, as CI has), next to the real
/// p0f 3.09b watching the same port: every SYN to the mail port becomes one observation whose label is the one p0f
/// logs for it, over IPv4 and IPv6; SYNs to other ports are not observed.
/// </summary>
public sealed class CaptureSourceTests
{
    [Fact]
    public async Task Syns_to_the_mail_port_are_observed_with_p0fs_labels()
    {
        var dir = Directory.CreateTempSubdirectory("dnsfp-capture-").FullName;
        using var listener = new TcpListener(IPAddress.IPv6Any, 0);
        listener.Server.DualMode = true;
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var other = new TcpListener(IPAddress.Loopback, 0);
        other.Start();
        string p0fLog = Path.Combine(dir, "p0f.log");
        var psi = new ProcessStartInfo(File.Exists("/usr/sbin/p0f") ? "/usr/sbin/p0f" : "p0f") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-i", "lo", "-o", p0fLog, $"tcp dst port {port}" }) psi.ArgumentList.Add(a);
        using var p0f = Process.Start(psi) ?? throw new InvalidOperationException("p0f is not installed (.ci/run installs it)");
        await using var redis = await RedisServer.StartAsync();
        using var agent = Process.Start(Cli.StartInfo("dnsfp-agent", "run", "--redis", redis.Endpoint, "--state-dir", Path.Combine(dir, "state"),
            "--capture-interface", "lo", "--capture-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--capture-db", "/etc/p0f/p0f.fp", "--p0f-compatible"))!;
        try
        {
            await Task.Delay(1500);                                          // both capturing
            if (agent.HasExited) Assert.Fail("the agent stopped: " + await agent.StandardError.ReadToEndAsync());
            var clients = new List<int>();
            foreach (var address in new[] { IPAddress.Loopback, IPAddress.IPv6Loopback, IPAddress.Loopback })
            {
                using var client = new TcpClient(address.AddressFamily);
                await client.ConnectAsync(address, port);
                clients.Add(((IPEndPoint)client.Client.LocalEndPoint!).Port);
                using var accepted = await listener.AcceptTcpClientAsync();
            }
            using (var ignored = new TcpClient()) { await ignored.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)other.LocalEndpoint).Port); }

            using var r = await ConnectionMultiplexer.ConnectAsync(redis.Endpoint);
            List<Fact> observed = [];
            for (int i = 0; i < 100 && observed.Count < 3; i++) { await Task.Delay(100); observed = await AgentFacts.UnfoldedAsync(r.GetDatabase()); }
            await Task.Delay(500);
            observed = await AgentFacts.UnfoldedAsync(r.GetDatabase());
            Assert.Equal(3, observed.Count);                                  // the SYN to the other port is not observed
            Assert.All(observed, f => Assert.Equal(FactKind.Observation, f.Kind));

            var logged = await P0fLabelsAsync(p0fLog, 3);
            Assert.Equal(logged.OrderBy(x => x), observed.Select(f => $"{f.Address}|{f.Label}").OrderBy(x => x));
        }
        finally
        {
            if (!agent.HasExited) { agent.Kill(); await agent.WaitForExitAsync(); }
            if (!p0f.HasExited) { p0f.Kill(); await p0f.WaitForExitAsync(); }
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public async Task Bad_capture_settings_stop_the_agent_at_start_with_a_message_naming_them()
    {
        var state = Directory.CreateTempSubdirectory("dnsfp-capture-").FullName;
        var noInterface = await Cli.RunAsync("dnsfp-agent", "run", "--redis", "127.0.0.1:1", "--state-dir", state, "--capture-interface", "nosuch0");
        Assert.Equal(78, noInterface.ExitCode);
        Assert.Contains("there is no network interface 'nosuch0'", noInterface.Errors, StringComparison.Ordinal);
        var noDatabase = await Cli.RunAsync("dnsfp-agent", "run", "--redis", "127.0.0.1:1", "--state-dir", state, "--capture-interface", "lo", "--capture-db", "/nonexistent/p0f.fp");
        Assert.Equal(78, noDatabase.ExitCode);
        Assert.Contains("'/nonexistent/p0f.fp' does not exist", noDatabase.Errors, StringComparison.Ordinal);
        var badPort = await Cli.RunAsync("dnsfp-agent", "run", "--redis", "127.0.0.1:1", "--state-dir", state, "--capture-interface", "lo", "--capture-port", "70000");
        Assert.Equal(78, badPort.ExitCode);
    }

    /// <summary>"address|label" of p0f's client SYN lines, read as the agent's p0f log source reads them ("???": "unnamed" and the key of p0f's raw_sig).</summary>
    private static async Task<List<string>> P0fLabelsAsync(string log, int expected)
    {
        var result = new List<string>();
        for (int i = 0; i < 50 && result.Count < expected; i++)
        {
            await Task.Delay(100);
            result = (File.Exists(log) ? File.ReadAllLines(log) : []).Select(P0fLogLine.Read)
                .Where(r => r.Kind == P0fLogLine.Kind.Observation).Select(r => $"{r.Client}|{r.Label}").ToList();
        }
        return result;
    }
}
