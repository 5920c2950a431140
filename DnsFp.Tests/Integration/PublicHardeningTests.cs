using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net.Dns;
using DnsFp.Server.Hosting;
using DnsFp.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace DnsFp.Tests.Integration;

/// <summary>
/// The real server on loopback under the pressures of the public Internet: idle TCP connections beyond the limit,
/// garbage on TCP streams, a UDP flood from one prefix (rate limiting), large UDP queries, and an ACL re-read on SIGHUP.
/// </summary>
public sealed class PublicHardeningTests
{
    private static readonly string Listed = "2.0.0.127.fp.example.org";

    private static async Task<Socket> ConnectAsync(int port, string from = "127.0.0.1")
    {
        var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        s.Bind(new IPEndPoint(IPAddress.Parse(from), 0));
        await s.ConnectAsync(IPAddress.Loopback, port);
        return s;
    }

    private static async Task<DnsMessage?> AskTcpAsync(Socket s, byte[] query, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        byte[] framed = [(byte)(query.Length >> 8), (byte)query.Length, .. query];
        await s.SendAsync(framed, SocketFlags.None, cts.Token);
        var length = new byte[2];
        if (!await ReadExactlyAsync(s, length, cts.Token)) return null;
        var body = new byte[BinaryPrimitives.ReadUInt16BigEndian(length)];
        return await ReadExactlyAsync(s, body, cts.Token) ? DnsMessage.Parse(new ArraySegment<byte>(body)) : null;
    }

    private static async Task<bool> ReadExactlyAsync(Socket s, Memory<byte> into, CancellationToken token)
    {
        for (int read = 0; read < into.Length;)
        {
            int n = await s.ReceiveAsync(into[read..], SocketFlags.None, token);
            if (n == 0) return false;
            read += n;
        }
        return true;
    }

    [Fact]
    public async Task With_more_idle_tcp_connections_than_the_limit_a_new_client_is_answered_at_once_and_udp_is_unaffected()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var server = await DnsFpServer.StartAsync(redis.Endpoint, settings: new Dictionary<string, string?>
        {
            ["Server:TcpMaxConnections"] = "50",
            ["Server:TcpMaxPerClient"] = "1000",
            ["Server:TcpIdleTimeout"] = "00:01:00",
        });
        var idle = new List<Socket>();
        try
        {
            for (int i = 0; i < 80; i++) idle.Add(await ConnectAsync(server.Port));
            await Task.Delay(300);                                                  // let the server accept them all
            var tcp = server.Services.GetRequiredService<DnsListenerService>().TcpListeners[0];
            Assert.InRange(tcp.Counts.Open, 1, 50);
            Assert.True(tcp.Counts.Evicted >= 30, $"only {tcp.Counts.Evicted} idle connections were closed to make room");

            // a new client, with dig's own one-second deadline and no retry
            Assert.Equal(["127.0.0.2"], await Dig.ShortAsync(server.Port, Listed, "A", "+tcp", "+time=1", "+tries=1"));
            Assert.Equal(["127.0.0.2"], await Dig.ShortAsync(server.Port, Listed, "A", "+time=1", "+tries=1"));
            using var fresh = await ConnectAsync(server.Port);
            Assert.NotNull(await AskTcpAsync(fresh, QueryBuilder.Build(Listed, 1), TimeSpan.FromSeconds(1)));
        }
        finally { foreach (var s in idle) s.Dispose(); }
    }

    [Fact]
    public async Task One_client_address_holds_at_most_its_cap_and_gives_up_its_own_oldest_idle_connection()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var server = await DnsFpServer.StartAsync(redis.Endpoint, settings: new Dictionary<string, string?>
        {
            ["Server:TcpMaxConnections"] = "1000",
            ["Server:TcpMaxPerClient"] = "10",
            ["Server:TcpIdleTimeout"] = "00:01:00",
        });
        var held = new List<Socket>();
        try
        {
            for (int i = 0; i < 25; i++) held.Add(await ConnectAsync(server.Port, from: "127.0.0.9"));
            using var other = await ConnectAsync(server.Port, from: "127.0.0.1");
            await Task.Delay(300);
            var tcp = server.Services.GetRequiredService<DnsListenerService>().TcpListeners[0];
            Assert.Equal(11, tcp.Counts.Open);                                     // 10 of 127.0.0.9 and the other client
            Assert.NotNull(await AskTcpAsync(held[^1], QueryBuilder.Build(Listed, 1), TimeSpan.FromSeconds(1)));   // its newest is kept
            Assert.NotNull(await AskTcpAsync(other, QueryBuilder.Build(Listed, 1), TimeSpan.FromSeconds(1)));
        }
        finally { foreach (var s in held) s.Dispose(); }
    }

    [Fact]
    public async Task Tcp_framing_split_pipelined_and_garbage_streams_leave_the_server_answering()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var server = await DnsFpServer.StartAsync(redis.Endpoint);
        var query = QueryBuilder.Build(Listed, 16, id: 0x0101);
        byte[] framed = [(byte)(query.Length >> 8), (byte)query.Length, .. query];

        using (var split = await ConnectAsync(server.Port))                       // one byte per write
        {
            foreach (byte b in framed) { await split.SendAsync(new[] { b }, SocketFlags.None); await Task.Delay(2); }
            var length = new byte[2];
            Assert.True(await ReadExactlyAsync(split, length, new CancellationTokenSource(2000).Token));
        }
        using (var pipelined = await ConnectAsync(server.Port))                   // three queries in one write, answered in order
        {
            var second = QueryBuilder.Build(Listed, 1, id: 0x0202);
            byte[] framed2 = [(byte)(second.Length >> 8), (byte)second.Length, .. second];
            await pipelined.SendAsync((byte[])[.. framed, .. framed2, .. framed], SocketFlags.None);
            var ids = new List<ushort>();
            for (int i = 0; i < 3; i++)
            {
                var length = new byte[2];
                Assert.True(await ReadExactlyAsync(pipelined, length, new CancellationTokenSource(2000).Token));
                var body = new byte[BinaryPrimitives.ReadUInt16BigEndian(length)];
                Assert.True(await ReadExactlyAsync(pipelined, body, new CancellationTokenSource(2000).Token));
                ids.Add(QueryBuilder.ReadId(body));
            }
            Assert.Equal([0x0101, 0x0202, 0x0101], ids);
        }
        var rng = new Random(7766);
        for (int i = 0; i < 40; i++)                                                // random bytes, random lengths, abrupt closes
        {
            using var junk = await ConnectAsync(server.Port);
            var bytes = new byte[rng.Next(1, 3000)];
            rng.NextBytes(bytes);
            try { await junk.SendAsync(bytes, SocketFlags.None); } catch (SocketException) { }
            if (i % 2 == 0) junk.Close(0);
        }
        Assert.Equal(["127.0.0.2"], await Dig.ShortAsync(server.Port, Listed, "A", "+tcp"));
        Assert.Equal(["127.0.0.2"], await Dig.ShortAsync(server.Port, Listed, "A"));
    }

    [Fact]
    public async Task A_udp_query_of_6_kb_is_read_and_answered()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var server = await DnsFpServer.StartAsync(redis.Endpoint);
        using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var query = QueryBuilder.Build(Listed, 1, ednsOptions: QueryBuilder.Option(12, new byte[6000]));
        await udp.SendAsync(query, new IPEndPoint(IPAddress.Loopback, server.Port));
        var reply = await udp.ReceiveAsync(new CancellationTokenSource(2000).Token);
        var m = DnsMessage.Parse(new ArraySegment<byte>(reply.Buffer));
        Assert.Equal(ReturnCode.NoError, m.ReturnCode);
        Assert.Equal("127.0.0.2", Assert.Single(m.AnswerRecords.OfType<ARecord>()).Address.ToString());
    }

    [Fact]
    public async Task A_udp_flood_from_one_prefix_is_limited_with_slips_while_another_prefix_and_tcp_are_answered_and_the_log_says_so()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var server = await DnsFpServer.StartAsync(redis.Endpoint, settings: new Dictionary<string, string?>
        {
            ["RateLimit:ExemptLoopback"] = "false",
            ["RateLimit:ResponsesPerSecond"] = "20",
            ["RateLimit:Slip"] = "2",
            ["RateLimit:LogInterval"] = "00:00:01",
        });
        var target = new IPEndPoint(IPAddress.Loopback, server.Port);
        var query = QueryBuilder.Build(Listed, 16);
        using var flooder = new UdpClient(new IPEndPoint(IPAddress.Parse("127.0.0.1"), 0));
        using var bystander = new UdpClient(new IPEndPoint(IPAddress.Parse("127.0.1.1"), 0));   // another /24
        for (int i = 0; i < 400; i++) await flooder.SendAsync(query, target);
        for (int i = 0; i < 20; i++) await bystander.SendAsync(query, target);

        async Task<(int Answered, int Truncated)> CollectAsync(UdpClient c)
        {
            int answered = 0, truncated = 0;
            try
            {
                while (true)
                {
                    var r = await c.ReceiveAsync(new CancellationTokenSource(700).Token);
                    var m = DnsMessage.Parse(new ArraySegment<byte>(r.Buffer));
                    if (m.IsTruncated) { truncated++; Assert.Empty(m.AnswerRecords); } else answered++;
                }
            }
            catch (OperationCanceledException) { }
            return (answered, truncated);
        }
        var flood = await CollectAsync(flooder);
        var other = await CollectAsync(bystander);
        Assert.InRange(flood.Answered, 20, 60);                                   // 20 a second (the flood may span a second boundary)
        Assert.InRange(flood.Truncated, (400 - flood.Answered) / 2 - 5, (400 - flood.Answered) / 2 + 5);   // slip 2: every second one over budget
        Assert.Equal((20, 0), other);
        Assert.Equal(["127.0.0.2"], await Dig.ShortAsync(server.Port, Listed, "A", "+tcp"));                 // TCP is never limited
        var sw = System.Diagnostics.Stopwatch.StartNew();
        while (!server.Log.Any(l => l.Contains("Rate limited in the last", StringComparison.Ordinal)) && sw.Elapsed < TimeSpan.FromSeconds(5)) await Task.Delay(100);
        var line = Assert.Single(server.Log, l => l.Contains("Rate limited in the last", StringComparison.Ordinal));
        Assert.Contains("127.0.0.0/24", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sighup_rereads_the_query_acl_from_the_settings_file()
    {
        await using var redis = await RedisServer.StartAsync();
        string settings = Path.Combine(Path.GetTempPath(), $"dnsfp-acl-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(settings, """{ "Server": { "Deny": [] } }""");
        int port = FreePort.Tcp();
        var psi = Cli.StartInfo("dnsfp-server", "run", "--listen", $"127.0.0.1:{port}", "--zones", RepoPaths.Zones, "--redis", redis.Endpoint, "--config", settings);
        psi.Environment["DNSFP_Listing__Sweep"] = "false";
        using var server = System.Diagnostics.Process.Start(psi)!;
        try
        {
            await Dig.WaitForAsync(port, Listed, "A", a => a.Length == 1, TimeSpan.FromSeconds(15));
            await File.WriteAllTextAsync(settings, """{ "Server": { "Deny": [ "127.0.0.0/8" ] } }""");
            using (var hup = System.Diagnostics.Process.Start("kill", ["-HUP", server.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) await hup.WaitForExitAsync();
            var sw = System.Diagnostics.Stopwatch.StartNew();
            string status;
            do status = Dig.Status(await Dig.RunAsync(port, Listed, "A")); while (status != "REFUSED" && sw.Elapsed < TimeSpan.FromSeconds(5));
            Assert.Equal("REFUSED", status);
            await File.WriteAllTextAsync(settings, """{ "Server": { "Deny": [ "not-a-range" ] } }""");
            using (var hup = System.Diagnostics.Process.Start("kill", ["-HUP", server.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) await hup.WaitForExitAsync();
            await Task.Delay(500);
            Assert.Equal("REFUSED", Dig.Status(await Dig.RunAsync(port, Listed, "A")));   // a bad reload keeps the rules in force
            Assert.False(server.HasExited);
        }
        finally
        {
            if (!server.HasExited) server.Kill();
            await server.WaitForExitAsync();
            File.Delete(settings);
        }
    }
}
