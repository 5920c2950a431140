using System.Net;
using DnsFp.Server.Access;
using DnsFp.Server.Bands;
using DnsFp.Server.Cookies;
using DnsFp.Server.Identity;
using DnsFp.Server.RateLimit;
using DnsFp.Server.Engine;
using DnsFp.Server.Index;
using DnsFp.Server.Zones;

namespace DnsFp.Tests.Support;

/// <summary>The answer engine over the repo's zone and a small in-memory index, no sockets: for fast contract and fuzz tests.</summary>
public sealed class EngineHarness
{
    private readonly AnswerEngine _engine;
    private readonly byte[] _response = new byte[65535];

    /// <summary>The engine with the given policies (none given: no ACL, no rate limiting, no cookies, no identity).</summary>
    public EngineHarness(string? extraZoneText = null, RateLimitOptions? rateLimit = null, CookieOptions? cookies = null,
        IdentityOptions? identity = null, AccessOptions? access = null, TimeProvider? time = null)
    {
        var zones = new List<Zone> { MasterFileParser.Parse(File.ReadAllText(Path.Combine(RepoPaths.Zones, "fp.example.org.zone")), "fp.example.org", "fp.example.org.zone") };
        if (extraZoneText is not null) zones.Add(MasterFileParser.Parse(extraZoneText, "big.test", "big.test.zone"));
        var index = new IndexHolder();
        var labels = new List<LabelRater.LabelCounts>
        {
            new(1, "AIX", "AIX", 3, 97),
            new(2, "Linux 2.6", "Linux", 81, 19),
            new(3, new string('L', 120), "L", 0, 0),
        };
        index.Publish(LabelTable.Build(labels, LabelRater.Rate(labels, 50)));
        var addresses = AddressIndex.CreateEmpty();
        addresses.Set(V4("192.0.2.10"), SeenToday(1));
        addresses.Set(V4("192.0.2.40"), SeenToday(2));
        addresses.Set(V4("192.0.2.99"), SeenToday(3));
        addresses.Set(V6("2001:db8::40"), SeenToday(2));
        index.Publish(addresses);
        time ??= TimeProvider.System;
        var acl = new QueryAcl();
        if (access is not null) acl.Publish(access);
        _engine = new AnswerEngine(new ZoneSet(zones), index, acl,
            new RateLimitFeature(rateLimit is null ? null : new ResponseRateLimiter(rateLimit, time)),
            new CookieFeature(cookies is null ? null : new ServerCookies(cookies.SecretBytes(), time)),
            new ServerIdentity(identity ?? new IdentityOptions()), new DnsFp.Server.Metrics.QueryCounters());
        Index = index;
    }

    internal IndexHolder Index { get; }

    /// <summary>The stored record of an address last observed today, with label <paramref name="labelId"/>.</summary>
    public static int SeenToday(int labelId, int daysAgo = 0) =>
        DnsFp.Contract.ListingRecord.First(labelId, DnsFp.Contract.ListingRecord.DayNumber(DateTimeOffset.UtcNow) - daysAgo, DnsFp.Contract.ObservationSources.Capture).Pack();

    internal AnswerEngine Engine => _engine;

    public byte[] Ask(byte[] query, bool tcp = false) => Ask(query, "127.0.0.1", tcp);

    /// <summary>The response to <paramref name="query"/> from <paramref name="client"/>; empty when the engine dropped it.</summary>
    public byte[] Ask(byte[] query, string client, bool tcp = false)
    {
        var transport = tcp ? AnswerEngine.Transport.Tcp : AnswerEngine.Transport.Udp;
        int n = _engine.Answer(query, _response, Client.From(IPAddress.Parse(client), transport));
        return _response.AsSpan(0, n).ToArray();
    }

    public static uint V4(string a) => System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(IPAddress.Parse(a).GetAddressBytes());

    public static UInt128 V6(string a) => System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(IPAddress.Parse(a).GetAddressBytes());
}
