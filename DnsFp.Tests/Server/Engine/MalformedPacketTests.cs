using DnsFp.Tests.Support;

namespace DnsFp.Tests.Server.Engine;

/// <summary>
/// Throws 120,000 random and mutated packets at the engine: truncated headers, compression loops, huge label
/// counts, wrong counts, flipped bytes. The engine must never throw, and every reply it produces must be a
/// well-formed DNS message (checked independently by <see cref="ResponseShape"/>) carrying the query's id.
/// </summary>
public sealed class MalformedPacketTests
{
    /// <summary>Every policy on, so the fuzz reaches the ACL, rate limiter, cookie and NSID paths too.</summary>
    private static readonly EngineHarness Harness = new(
        rateLimit: new DnsFp.Server.RateLimit.RateLimitOptions { ResponsesPerSecond = 1000, ErrorsPerSecond = 1000, NxDomainsPerSecond = 1000 },
        cookies: new DnsFp.Server.Cookies.CookieOptions(),
        identity: new DnsFp.Server.Identity.IdentityOptions { Nsid = "fuzz", Identity = "fuzz" },
        access: new DnsFp.Server.Access.AccessOptions { Deny = ["203.0.113.0/24"] });

    private static readonly string[] Clients = ["198.51.100.7", "203.0.113.5", "2001:db8::1", "127.0.0.1", "::ffff:192.0.2.1"];

    [Fact]
    public void Random_and_mutated_packets_never_crash_and_every_reply_is_well_formed()
    {
        var rng = new Random(5782);
        var seeds = new[]
        {
            QueryBuilder.Build("10.2.0.192.fp.example.org", 1),
            QueryBuilder.Build("2.0.0.127.fp.example.org", 255, ednsPayload: 1232),
            QueryBuilder.Build(QueryBuilder.Reverse("2001:db8::40") + ".fp.example.org", 16, ednsPayload: 4096),
            QueryBuilder.Build("fp.example.org", 6),
            QueryBuilder.Build("example.com", 1),
            QueryBuilder.Build("10.2.0.192.fp.example.org", 16, ednsOptions: [.. QueryBuilder.Option(3), .. QueryBuilder.Option(10, 1, 2, 3, 4, 5, 6, 7, 8)]),
            QueryBuilder.Build("10.2.0.192.fp.example.org", 1, ednsOptions: QueryBuilder.Option(10, [.. Enumerable.Range(0, 24).Select(i => (byte)i)])),
            QueryBuilder.Build("hostname.bind", 16, qclass: 3),
        };
        int replies = 0;
        for (int i = 0; i < 120_000; i++)
        {
            byte[] packet = (i % 6) switch
            {
                0 => RandomBytes(rng, rng.Next(0, 600)),
                1 => Truncate(rng, seeds[rng.Next(seeds.Length)]),
                2 => CompressionLoop(rng),
                3 => ManyLabels(rng),
                4 => WrongCounts(rng, seeds[rng.Next(seeds.Length)]),
                _ => Mutate(rng, seeds[rng.Next(seeds.Length)]),
            };
            byte[] reply = Harness.Ask(packet, Clients[rng.Next(Clients.Length)], tcp: rng.Next(2) == 0);
            if (reply.Length == 0) continue;
            replies++;
            string? problem = ResponseShape.Problem(reply);
            Assert.True(problem is null, $"packet {i} ({Convert.ToHexString(packet)}) got a malformed reply: {problem}");
            Assert.Equal(QueryBuilder.ReadId(packet), QueryBuilder.ReadId(reply));
            Assert.True(reply.Length <= 65535);
        }
        Assert.True(replies > 40_000, $"only {replies} packets got a reply: the generator is not reaching the engine");
    }

    private static byte[] RandomBytes(Random rng, int length)
    {
        var b = new byte[length];
        rng.NextBytes(b);
        if (length > 2) b[2] &= 0x7F;                       // mostly queries, so they get past the QR check
        return b;
    }

    private static byte[] Truncate(Random rng, byte[] seed) => seed[..rng.Next(0, seed.Length)];

    private static byte[] CompressionLoop(Random rng)
    {
        // question name is a pointer to itself, or two pointers pointing at each other
        byte[] header = [(byte)rng.Next(256), (byte)rng.Next(256), 0, 0, 0, 1, 0, 0, 0, 0, 0, (byte)rng.Next(2)];
        byte[] name = rng.Next(2) == 0 ? [0xC0, 12] : [1, (byte)'a', 0xC0, 14, 0xC0, 12];
        return [.. header, .. name, 0, 1, 0, 1, 0, 0xC0, 12, 0, 41, 4, 0, 0, 0, 0, 0, 0, 0];
    }

    private static byte[] ManyLabels(Random rng)
    {
        var m = new List<byte> { 1, 2, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0 };
        int labels = rng.Next(100, 300);
        for (int i = 0; i < labels; i++) { m.Add(1); m.Add((byte)"0123456789abcdef"[rng.Next(16)]); }
        m.AddRange(QueryBuilder.EncodeName("fp.example.org"));
        m.AddRange([0, 1, 0, 1]);
        return [.. m];
    }

    private static byte[] WrongCounts(Random rng, byte[] seed)
    {
        var b = (byte[])seed.Clone();
        int field = 4 + 2 * rng.Next(4);
        b[field] = (byte)rng.Next(256);
        b[field + 1] = (byte)rng.Next(256);
        return b;
    }

    private static byte[] Mutate(Random rng, byte[] seed)
    {
        var b = (byte[])seed.Clone();
        int flips = rng.Next(1, 6);
        for (int i = 0; i < flips; i++) b[rng.Next(b.Length)] = (byte)rng.Next(256);
        if (rng.Next(4) == 0) b = [.. b, .. RandomBytes(rng, rng.Next(1, 40))];
        return b;
    }
}
