using DnsFp.Server.Engine;
using DnsFp.Tests.Support;

namespace DnsFp.Tests.Server.Engine;

/// <summary>The query path allocates nothing per packet: 100,000 answers of every kind, bytes allocated counted by the runtime.</summary>
public sealed class AllocationTests
{
    [Fact]
    public void Answering_100k_queries_allocates_nothing()
    {
        var harness = new EngineHarness();
        byte[][] queries =
        [
            QueryBuilder.Build("10.2.0.192.fp.example.org", 1),                                       // listed, A
            QueryBuilder.Build("10.2.0.192.fp.example.org", 255, ednsPayload: 1232),                  // listed, ANY + EDNS
            QueryBuilder.Build(QueryBuilder.Reverse("2001:db8::40") + ".fp.example.org", 16),         // IPv6, TXT
            QueryBuilder.Build("99.2.0.192.fp.example.org", 1),                                       // NXDOMAIN
            QueryBuilder.Build("0.127.fp.example.org", 1),                                            // NODATA
            QueryBuilder.Build("2.0.0.127.fp.example.org", 16),                                       // test entry
            QueryBuilder.Build("example.com", 1),                                                     // REFUSED
            QueryBuilder.Build("fp.example.org", 6),                                                  // apex SOA
            [0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0],                                   // FORMERR
        ];
        var response = new byte[65535];
        long answered = 0;
        for (int i = 0; i < 1000; i++) answered += harness.Engine.Answer(queries[i % queries.Length], response, AnswerEngine.Transport.Udp);   // warm up (JIT)

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100_000; i++) answered += harness.Engine.Answer(queries[i % queries.Length], response, AnswerEngine.Transport.Udp);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(answered > 100_000 * 20);                                                        // it really answered
        Assert.Equal(0, allocated);
    }
}
