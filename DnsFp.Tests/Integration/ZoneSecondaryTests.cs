using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using DnsFp.Tests.Support;

namespace DnsFp.Tests.Integration;

/// <summary>
/// The real NSD, Knot and BIND as secondaries of dnsfp (issue #15): each transfers the zone with TSIG (and checks the
/// signature of every message itself), is told of a new listing by a signed NOTIFY and fetches it within seconds,
/// although its SOA refresh is an hour, and ends on dnsfp's serial.
/// </summary>
public sealed class ZoneSecondaryTests
{
    public static TheoryData<string> Secondaries => new() { "nsd", "knot", "bind" };

    [Theory]
    [MemberData(nameof(Secondaries))]
    public async Task A_secondary_mirrors_the_zone_and_follows_a_new_listing_through_notify(string secondary)
    {
        await using var redis = await RedisServer.StartAsync();
        using var client = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(redis.Endpoint);
        var db = client.GetDatabase();
        await AgentFacts.ObserveAsync(db, "198.51.100.1", "Linux 2.6", DateTimeOffset.UtcNow);

        var dir = Directory.CreateTempSubdirectory($"dnsfp-{secondary}-").FullName;
        string secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        int port = FreePort.Tcp();
        await using var server = await DnsFpServer.StartAsync(redis.Endpoint, settings: new Dictionary<string, string?>
        {
            ["Transfer:Allow:0"] = "127.0.0.1 xfr-key",
            ["Transfer:Notify:0"] = $"127.0.0.1@{port} xfr-key",
            ["Transfer:NotifyInterval"] = "00:00:01",
            ["Transfer:KeyFile"] = TransferKeys.Write(dir, "xfr-key", secret),
        });
        await Dig.WaitForAsync(server.Port, "1.100.51.198.fp.example.org", "A", a => a.Length == 1, TimeSpan.FromSeconds(10));
        var output = new ConcurrentQueue<string>();
        using var process = Start(secondary, dir, port, server.Port, secret, output);
        try
        {
            var first = await Dig.WaitForAsync(port, "1.100.51.198.fp.example.org", "A", a => a.Length == 1, TimeSpan.FromSeconds(20));
            Assert.True(first.Length == 1, $"{secondary} did not transfer the zone:\n{string.Join('\n', output.TakeLast(30))}");
            Assert.Equal(["127.0.0.2"], await Dig.ShortAsync(port, "2.0.0.127.fp.example.org", "A"));

            await AgentFacts.ObserveAsync(db, "198.51.100.2", "OpenVMS 7.2", DateTimeOffset.UtcNow);
            var second = await Dig.WaitForAsync(port, "2.100.51.198.fp.example.org", "TXT", a => a.Length == 1, TimeSpan.FromSeconds(20));
            Assert.True(second.Length == 1, $"{secondary} did not follow the NOTIFY:\n{string.Join('\n', output.TakeLast(30))}\n{string.Join('\n', server.Log.TakeLast(10))}");
            Assert.Equal(await Dig.ShortAsync(server.Port, "2.100.51.198.fp.example.org", "TXT"), second);
            Assert.Equal(await Dig.ShortAsync(server.Port, "fp.example.org", "SOA"), await Dig.ShortAsync(port, "fp.example.org", "SOA"));
            Assert.Contains(server.Log, l => l.Contains("NOTIFY of fp.example.org serial", StringComparison.Ordinal) && l.Contains("answered by", StringComparison.Ordinal));
            // the second transfer was incremental: the secondary applied dnsfp's differences to its copy
            Assert.Contains(server.Log, l => l.Contains("IXFR of fp.example.org serial", StringComparison.Ordinal) && l.Contains(" → ", StringComparison.Ordinal));
        }
        finally
        {
            if (!process.HasExited) process.Kill();
            await process.WaitForExitAsync();
            Directory.Delete(dir, true);
        }
    }

    private static Process Start(string secondary, string dir, int port, int primary, string secret, ConcurrentQueue<string> output)
    {
        string conf = Path.Combine(dir, secondary + ".conf");
        string[] command;
        switch (secondary)
        {
            case "nsd":
                File.WriteAllText(conf, $"""
                    server:
                      ip-address: 127.0.0.1@{port}
                      username: ""
                      zonesdir: "{dir}"
                      database: ""
                      pidfile: "{dir}/nsd.pid"
                      xfrdfile: "{dir}/xfrd.state"
                      xfrdir: "{dir}"
                      zonelistfile: "{dir}/zone.list"
                    remote-control:
                      control-enable: no
                    key:
                      name: xfr-key
                      algorithm: hmac-sha256
                      secret: "{secret}"
                    zone:
                      name: fp.example.org
                      zonefile: fp.example.org.zone
                      request-xfr: 127.0.0.1@{primary} xfr-key
                      allow-notify: 127.0.0.1 xfr-key
                    """);
                command = ["nsd", "-d", "-c", conf];
                break;
            case "knot":
                File.WriteAllText(conf, $"""
                    server:
                      listen: 127.0.0.1@{port}
                      rundir: {dir}
                    log:
                      - target: stderr
                        any: info
                    database:
                      storage: {dir}/knotdb
                    key:
                      - id: xfr-key
                        algorithm: hmac-sha256
                        secret: {secret}
                    remote:
                      - id: primary
                        address: 127.0.0.1@{primary}
                        key: xfr-key
                    acl:
                      - id: notify-from-primary
                        address: 127.0.0.1
                        key: xfr-key
                        action: notify
                    template:
                      - id: default
                        storage: {dir}
                    zone:
                      - domain: fp.example.org
                        master: primary
                        acl: notify-from-primary
                    """);
                command = ["knotd", "-c", conf];
                break;
            default:
                File.WriteAllText(conf, $$"""
                    options {
                      directory "{{dir}}";
                      listen-on port {{port}} { 127.0.0.1; };
                      listen-on-v6 { none; };
                      pid-file none;
                      session-keyfile "{{dir}}/session.key";
                      managed-keys-directory "{{dir}}";
                      recursion no;
                      dnssec-validation no;
                      notify no;
                    };
                    controls { };
                    key "xfr-key" { algorithm hmac-sha256; secret "{{secret}}"; };
                    zone "fp.example.org" {
                      type secondary;
                      primaries { 127.0.0.1 port {{primary}} key "xfr-key"; };
                      file "fp.example.org.bind";
                    };
                    """);
                command = ["named", "-g", "-c", conf];
                break;
        }
        var psi = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in command[1..]) psi.ArgumentList.Add(a);
        var p = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {command[0]} (.ci/run installs nsd, knot and bind9)");
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        p.BeginOutputReadLine(); p.BeginErrorReadLine();
        return p;
    }
}
