using System.Net;
using System.Net.Sockets;
using DnsFp.Server.Transports;
using DnsFp.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace DnsFp.Tests.Server.Transports;

/// <summary>
/// The UDP listener's workers: the primary answers a trickle alone (no round is full, so no helper is called);
/// called helpers answer too, and every query is answered exactly once.
/// </summary>
public sealed class UdpListenerTests
{
    private const string Name = "10.2.0.192.fp.example.org";

    [Fact]
    public void A_trickle_is_answered_by_the_primary_alone()
    {
        using var listener = new UdpListener(new IPEndPoint(IPAddress.Loopback, 0), new EngineHarness().Engine, workers: 2, NullLogger.Instance);
        listener.Start();
        using var client = Client(listener);
        var buffer = new byte[4096];
        for (ushort id = 0; id < 50; id++)
        {
            client.Send(QueryBuilder.Build(Name, 1, id));
            client.Receive(buffer);
            Assert.Equal(id, QueryBuilder.ReadId(buffer));
        }
        Assert.Equal(0, listener.AnsweredByHelpers);
    }

    [Fact]
    public void Called_helpers_answer_and_every_query_is_answered_once()
    {
        if (Environment.ProcessorCount < 2 || !OperatingSystem.IsLinux()) return;   // helpers exist on Linux with 2+ cores
        // Every round calls a helper here (helpAt: 1), so the helper's drain-without-waiting path serves some of the
        // bursts; how often a real backlog (a full round of 32) occurs depends on load, not on this code.
        using var listener = new UdpListener(new IPEndPoint(IPAddress.Loopback, 0), new EngineHarness().Engine, workers: 2, NullLogger.Instance, helpAt: 1);
        listener.Start();
        using var client = Client(listener);
        const int burst = 100, bursts = 100;
        var seen = new bool[burst * bursts];
        var buffer = new byte[4096];
        for (int b = 0; b < bursts && (b < 10 || listener.AnsweredByHelpers == 0); b++)
        {
            for (int i = 0; i < burst; i++) client.Send(QueryBuilder.Build(Name, 1, (ushort)(b * burst + i)));
            for (int i = 0; i < burst; i++)
            {
                client.Receive(buffer);
                int id = QueryBuilder.ReadId(buffer);
                Assert.False(seen[id], $"query {id} answered twice");
                seen[id] = true;
            }
        }
        Assert.True(listener.AnsweredByHelpers > 0, "the called helper never answered a query");
    }

    private static Socket Client(UdpListener listener)
    {
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = 1 << 20, ReceiveTimeout = 5000 };
        client.Connect(listener.LocalEndPoint);
        return client;
    }
}
