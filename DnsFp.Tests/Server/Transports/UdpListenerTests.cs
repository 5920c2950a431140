using System.Net;
using System.Net.Sockets;
using DnsFp.Server.Transports;
using DnsFp.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace DnsFp.Tests.Server.Transports;

/// <summary>
/// The UDP listener's workers: one answers a trickle alone; a burst larger than a round (32 datagrams) brings the
/// helpers in, and every query of the burst is answered exactly once.
/// </summary>
public sealed class UdpListenerTests
{
    [Fact]
    public async Task A_trickle_is_answered_by_the_primary_alone_and_a_burst_brings_the_helpers_in()
    {
        var harness = new EngineHarness();
        using var listener = new UdpListener(new IPEndPoint(IPAddress.Loopback, 0), harness.Engine, workers: 2, NullLogger.Instance);
        listener.Start();
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = 8 << 20 };
        client.Connect(listener.LocalEndPoint);
        client.ReceiveTimeout = 2000;
        var buffer = new byte[4096];

        for (ushort id = 0; id < 20; id++)
        {
            client.Send(QueryBuilder.Build("10.2.0.192.fp.example.org", 1, id));
            client.Receive(buffer);
            Assert.Equal(id, QueryBuilder.ReadId(buffer));
        }
        Assert.Equal(0, listener.AnsweredByHelpers);

        // bursts of 150 (well within the socket buffers, so nothing is lost), answers read after each burst
        const int burst = 150, bursts = 100;
        var seen = new bool[burst * bursts];
        int received = 0;
        for (int b = 0; b < bursts; b++)
        {
            for (int i = 0; i < burst; i++) client.Send(QueryBuilder.Build("10.2.0.192.fp.example.org", 1, (ushort)(b * burst + i)));
            for (int i = 0; i < burst; i++)
            {
                try { client.Receive(buffer); }
                catch (SocketException) { break; }                  // lost: counted below
                int id = QueryBuilder.ReadId(buffer);
                Assert.False(seen[id], $"query {id} answered twice");
                seen[id] = true;
                received++;
            }
        }
        Assert.True(received >= burst * bursts * 99 / 100, $"only {received} of {burst * bursts} answered");
        long helped = listener.AnsweredByHelpers;
        if (Environment.ProcessorCount > 1 && OperatingSystem.IsLinux()) Assert.True(helped > 0, "the helper never answered a query of the bursts");
    }
}
