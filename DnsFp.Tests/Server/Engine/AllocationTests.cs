using DnsFp.Server.Engine;
using DnsFp.Tests.Support;

namespace DnsFp.Tests.Server.Engine;

/// <summary>
/// The query path allocates nothing per packet: 100,000 answers of every kind, bytes allocated counted by the runtime,
/// with no policies and with every policy on (ACL, rate limiting that drops and slips, cookies, NSID).
/// </summary>
public sealed class AllocationTests
{
    public static TheoryData<bool> Policies() => [false, true];

    [Theory]
    [MemberData(nameof(Policies))]
    public void Answering_100k_queries_allocates_nothing(bool policies)
    {
        var harness = policies
            ? new EngineHarness(
                rateLimit: new DnsFp.Server.RateLimit.RateLimitOptions { ResponsesPerSecond = 50, NxDomainsPerSecond = 50 },
                cookies: new DnsFp.Server.Cookies.CookieOptions(),
                identity: new DnsFp.Server.Identity.IdentityOptions { Nsid = "ns1", Identity = "ns1" },
                access: new DnsFp.Server.Access.AccessOptions { Deny = ["203.0.113.0/24"] })
            : new EngineHarness();
        var client = Client.From(System.Net.IPAddress.Parse("198.51.100.7"), AnswerEngine.Transport.Udp);
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
            QueryBuilder.Build("10.2.0.192.fp.example.org", 16, ednsOptions: [.. QueryBuilder.Option(3), .. QueryBuilder.Option(10, 1, 2, 3, 4, 5, 6, 7, 8)]),  // NSID + cookie
            QueryBuilder.Build("id.server", 16, qclass: 3),                                           // CHAOS
        ];
        var response = new byte[65535];
        long answered = 0;
        for (int i = 0; i < 1000; i++) answered += harness.Engine.Answer(queries[i % queries.Length], response, client);   // warm up (JIT)

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100_000; i++) answered += harness.Engine.Answer(queries[i % queries.Length], response, client);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(answered > 100_000 * (policies ? 5 : 20));                                       // it really answered (with policies, many are rate limited)
        Assert.Equal(0, allocated);
    }
}
