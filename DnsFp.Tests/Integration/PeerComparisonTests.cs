using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using DnsFp.Tests.Support;

namespace DnsFp.Tests.Integration;

/// <summary>
/// The protocol corners asked of dnsfp and of the real NSD and Knot serving dnsfp's own zone-file export of the same
/// data: the response code, and OPT wherever both peers send it, must agree. Where dnsfp differs on purpose
/// (DnsFp.Server/Engine/README.md) the probe says which peer it follows.
/// </summary>
public sealed class PeerComparisonTests(SampleDnsbl dnsbl) : IClassFixture<SampleDnsbl>
{
    private enum Peer { Both, NsdOnly, KnotOnly }

    private sealed record Probe(string What, byte[] Query, bool Tcp = false, Peer Follows = Peer.Both);

    private static byte[] Opt(byte[] options) => [0, 0, 41, 4, 208, 0, 0, 0, 0, (byte)(options.Length >> 8), (byte)options.Length, .. options];

    private static byte[] WithOpcode(byte[] query, int opcode)
    {
        query[2] = (byte)(query[2] & 0x87 | opcode << 3);
        return query;
    }

    private static IEnumerable<Probe> Probes()
    {
        string v6 = QueryBuilder.Reverse("2001:db8::40").Split('.') is var l ? string.Join('.', l[^8..]) : "";
        yield return new("listed A", QueryBuilder.Build("10.2.0.192.fp.example.org", 1, ednsPayload: 1232));
        yield return new("listed TXT", QueryBuilder.Build("10.2.0.192.fp.example.org", 16, ednsPayload: 1232));
        yield return new("listed, other type (NODATA)", QueryBuilder.Build("10.2.0.192.fp.example.org", 15, ednsPayload: 1232));
        yield return new("listed IPv6", QueryBuilder.Build(QueryBuilder.Reverse("2001:db8::40") + ".fp.example.org", 1, ednsPayload: 1232));
        yield return new("not listed", QueryBuilder.Build("99.2.0.192.fp.example.org", 1, ednsPayload: 1232));
        yield return new("RFC 8020: four digits above IPv6 listings", QueryBuilder.Build("1.0.0.2.fp.example.org", 1, ednsPayload: 1232));
        yield return new("RFC 8020: eight nibbles above an IPv6 listing", QueryBuilder.Build(v6 + ".fp.example.org", 16, ednsPayload: 1232));
        yield return new("RFC 8020: octets above IPv4 listings", QueryBuilder.Build("0.192.fp.example.org", 1, ednsPayload: 1232));
        yield return new("apex SOA", QueryBuilder.Build("fp.example.org", 6, ednsPayload: 1232));
        yield return new("not our zone", QueryBuilder.Build("example.com", 1, ednsPayload: 1232));
        yield return new("EDNS version 1 (BADVERS)", QueryBuilder.Build("fp.example.org", 6, ednsPayload: 1232, ednsVersion: 1));
        yield return new("opcode STATUS", WithOpcode(QueryBuilder.Build("fp.example.org", 6, ednsPayload: 1232), 2));
        yield return new("opcode NOTIFY", WithOpcode(QueryBuilder.Build("fp.example.org", 6, ednsPayload: 1232), 4), Follows: Peer.NsdOnly);   // Knot: NOTAUTH
        yield return new("AXFR over UDP", QueryBuilder.Build("fp.example.org", 252, ednsPayload: 1232));
        yield return new("AXFR over TCP", QueryBuilder.Build("fp.example.org", 252, ednsPayload: 1232), Tcp: true, Follows: Peer.NsdOnly); // Knot: NOTAUTH
        yield return new("question of type OPT", QueryBuilder.Build("fp.example.org", 41, ednsPayload: 1232));
        yield return new("an unknown EDNS option", QueryBuilder.Build("fp.example.org", 6, ednsOptions: QueryBuilder.Option(65001, 1, 2)));
        yield return new("an option past the RDATA", QueryBuilder.Build("fp.example.org", 6, ednsOptions: [0, 3, 0, 10, 1, 2]));
        yield return new("a 6 KB query (padding)", QueryBuilder.Build("10.2.0.192.fp.example.org", 1, ednsOptions: QueryBuilder.Option(12, new byte[6000])));
        yield return new("class ANY", QueryBuilder.Build("10.2.0.192.fp.example.org", 1, ednsPayload: 1232, qclass: 255));
        yield return new("class HESIOD", QueryBuilder.Build("fp.example.org", 6, ednsPayload: 1232, qclass: 4));
        yield return new("CHAOS version.bind", QueryBuilder.Build("version.bind", 16, ednsPayload: 1232, qclass: 3), Follows: Peer.NsdOnly);   // Knot answers its version
    }

    [Fact]
    public async Task Protocol_corners_are_answered_as_nsd_and_knot_answer_them()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"dnsfp-peers-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        var peers = new List<Process>();
        try
        {
            string zone = Path.Combine(dir, "fp.example.org.zone");
            Assert.Equal(0, (await Cli.RunAsync("dnsfp-server", "export", "--redis", dnsbl.Redis.Endpoint, "--zones", RepoPaths.Zones, "--format", "bind", "--output", zone)).ExitCode);
            int nsdPort = FreePort.Tcp(), knotPort = FreePort.Tcp();
            await File.WriteAllTextAsync(Path.Combine(dir, "nsd.conf"), $"""
                server:
                  ip-address: 127.0.0.1@{nsdPort}
                  username: ""
                  zonesdir: "{dir}"
                  database: ""
                  pidfile: "{dir}/nsd.pid"
                  xfrdfile: "{dir}/xfrd.state"
                  zonelistfile: "{dir}/zone.list"
                  hide-version: yes
                  hide-identity: yes
                remote-control:
                  control-enable: no
                zone:
                  name: fp.example.org
                  zonefile: fp.example.org.zone
                """);
            await File.WriteAllTextAsync(Path.Combine(dir, "knot.conf"), $"""
                server:
                  listen: 127.0.0.1@{knotPort}
                  rundir: {dir}
                database:
                  storage: {dir}/knotdb
                template:
                  - id: default
                    storage: {dir}
                zone:
                  - domain: fp.example.org
                    file: fp.example.org.zone
                """);
            peers.Add(Start("nsd", "-d", "-c", Path.Combine(dir, "nsd.conf")));
            peers.Add(Start("knotd", "-c", Path.Combine(dir, "knot.conf")));
            await Dig.WaitForAsync(nsdPort, "10.2.0.192.fp.example.org", "A", a => a.Length == 1, TimeSpan.FromSeconds(10));
            await Dig.WaitForAsync(knotPort, "10.2.0.192.fp.example.org", "A", a => a.Length == 1, TimeSpan.FromSeconds(10));

            var differences = new List<string>();
            foreach (var p in Probes())
            {
                var ours = await AskAsync(dnsbl.Port, p);
                var nsd = await AskAsync(nsdPort, p);
                var knot = await AskAsync(knotPort, p);
                var peersToMatch = p.Follows switch { Peer.NsdOnly => [nsd], Peer.KnotOnly => [knot], _ => new[] { nsd, knot } };
                foreach (var peer in peersToMatch)
                    if (peer.Rcode != ours.Rcode) differences.Add($"{p.What}: dnsfp {ours}, NSD {nsd}, Knot {knot}");
                if (nsd.Opt && knot.Opt && !ours.Opt) differences.Add($"{p.What}: NSD and Knot send OPT, dnsfp does not");
            }
            Assert.True(differences.Count == 0, string.Join("\n", differences));
        }
        finally
        {
            foreach (var p in peers) { if (!p.HasExited) p.Kill(); await p.WaitForExitAsync(); p.Dispose(); }
            Directory.Delete(dir, true);
        }
    }

    private static Process Start(string program, params string[] args)
    {
        var psi = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        var p = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {program} (.ci/run installs nsd and knot)");
        p.BeginOutputReadLine(); p.BeginErrorReadLine();
        return p;
    }

    private sealed record Outcome(int Rcode, bool Opt)
    {
        public override string ToString() => $"rcode {Rcode}{(Opt ? " +OPT" : "")}";
    }

    private static async Task<Outcome> AskAsync(int port, Probe p)
    {
        byte[] reply;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        if (p.Tcp)
        {
            using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await s.ConnectAsync(IPAddress.Loopback, port, cts.Token);
            await s.SendAsync((byte[])[(byte)(p.Query.Length >> 8), (byte)p.Query.Length, .. p.Query], SocketFlags.None, cts.Token);
            var length = new byte[2];
            await ReceiveExactlyAsync(s, length, cts.Token);
            reply = new byte[BinaryPrimitives.ReadUInt16BigEndian(length)];
            await ReceiveExactlyAsync(s, reply, cts.Token);
        }
        else
        {
            using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
            await udp.SendAsync(p.Query, new IPEndPoint(IPAddress.Loopback, port), cts.Token);
            reply = (await udp.ReceiveAsync(cts.Token)).Buffer;
        }
        var m = ARSoft.Tools.Net.Dns.DnsMessage.Parse(new ArraySegment<byte>(reply));
        return new Outcome(reply[3] & 0xF, m.IsEDnsEnabled);
    }

    private static async Task ReceiveExactlyAsync(Socket s, Memory<byte> into, CancellationToken token)
    {
        for (int read = 0; read < into.Length;)
        {
            int n = await s.ReceiveAsync(into[read..], SocketFlags.None, token);
            if (n == 0) throw new IOException("connection closed");
            read += n;
        }
    }
}
