using ARSoft.Tools.Net.Dns;
using DnsFp.Server.Cookies;
using DnsFp.Server.RateLimit;
using DnsFp.Tests.Support;

namespace DnsFp.Tests.Server.RateLimit;

/// <summary>Response rate limiting in the engine, on a clock the test moves: budgets per prefix and kind, slip, window, and who is never limited.</summary>
public sealed class ResponseRateLimitTests
{
    private static readonly byte[] ListedTxt = QueryBuilder.Build("10.2.0.192.fp.example.org", 16);

    private static (EngineHarness Harness, SteppedTimeProvider Time) Limited(int rate = 10, int slip = 2, int window = 5, CookieOptions? cookies = null)
    {
        var time = new SteppedTimeProvider();
        var options = new RateLimitOptions { ResponsesPerSecond = rate, NoDataPerSecond = rate, NxDomainsPerSecond = rate, ErrorsPerSecond = rate, Slip = slip, Window = window, Exempt = ["192.0.2.0/24"] };
        return (new EngineHarness(rateLimit: options, cookies: cookies, time: time), time);
    }

    private static string Outcome(byte[] response) =>
        response.Length == 0 ? "dropped" : DnsMessage.Parse(new ArraySegment<byte>(response)) is { IsTruncated: true, AnswerRecords.Count: 0 } ? "slipped" : "answered";

    private static Dictionary<string, int> Flood(EngineHarness h, byte[] query, string client, int count) =>
        Enumerable.Range(0, count).Select(_ => Outcome(h.Ask(query, client))).GroupBy(o => o).ToDictionary(g => g.Key, g => g.Count());

    [Fact]
    public void A_flood_of_one_name_from_one_prefix_gets_its_budget_then_every_second_response_slipped_and_the_rest_dropped()
    {
        var (h, _) = Limited(rate: 10, slip: 2);
        var outcomes = Flood(h, ListedTxt, "198.51.100.7", 110);
        Assert.Equal(10, outcomes["answered"]);
        Assert.Equal(50, outcomes["slipped"]);
        Assert.Equal(50, outcomes["dropped"]);
    }

    [Fact]
    public void A_slipped_response_is_the_question_with_tc_and_the_id_so_a_real_client_retries_over_tcp()
    {
        var (h, _) = Limited(rate: 1, slip: 1);
        var query = QueryBuilder.Build("10.2.0.192.fp.example.org", 16, id: 0x4242, ednsPayload: 1232);
        h.Ask(query, "198.51.100.7");
        var slipped = h.Ask(query, "198.51.100.7");
        var m = DnsMessage.Parse(new ArraySegment<byte>(slipped));
        Assert.True(m.IsTruncated);
        Assert.Equal(0x4242, m.TransactionID);
        Assert.Equal("10.2.0.192.fp.example.org.", Assert.Single(m.Questions).Name.ToString(), ignoreCase: true);
        Assert.Empty(m.AnswerRecords);
        Assert.Empty(m.AuthorityRecords);
        Assert.True(m.IsEDnsEnabled);                                     // the query had OPT, so the answer has OPT
        Assert.True(slipped.Length < query.Length + 16);                  // no amplification
        Assert.Null(ResponseShape.Problem(slipped));
    }

    [Fact]
    public void Other_prefixes_tcp_and_exempt_networks_are_answered_during_a_flood()
    {
        var (h, _) = Limited(rate: 5, slip: 0);
        Flood(h, ListedTxt, "198.51.100.7", 100);
        Assert.Equal("dropped", Outcome(h.Ask(ListedTxt, "198.51.100.200")));            // same /24: same account
        Assert.Equal("answered", Outcome(h.Ask(ListedTxt, "198.51.101.7")));             // next /24
        Assert.Equal("answered", Outcome(h.Ask(ListedTxt, "198.51.100.7", tcp: true)));  // TCP is never spoofed
        Assert.Equal(100, Flood(h, ListedTxt, "192.0.2.1", 100)["answered"]);            // RateLimit:Exempt
        Assert.Equal("answered", Outcome(h.Ask(QueryBuilder.Build("40.2.0.192.fp.example.org", 16), "198.51.100.7")));  // another name
    }

    [Fact]
    public void Ipv6_clients_are_counted_per_slash_56()
    {
        var (h, _) = Limited(rate: 5, slip: 0);
        Flood(h, ListedTxt, "2001:db8:1:100::1", 50);
        Assert.Equal("dropped", Outcome(h.Ask(ListedTxt, "2001:db8:1:1ff::99")));        // same /56
        Assert.Equal("answered", Outcome(h.Ask(ListedTxt, "2001:db8:1:200::1")));        // next /56
    }

    [Fact]
    public void Nxdomain_for_random_names_shares_one_budget_per_zone_but_listed_names_keep_theirs()
    {
        var (h, _) = Limited(rate: 20, slip: 0);
        var rng = new Random(8020);
        var outcomes = Enumerable.Range(0, 200)
            .Select(_ => Outcome(h.Ask(QueryBuilder.Build($"{rng.Next(1, 255)}.{rng.Next(256)}.{rng.Next(256)}.203.fp.example.org", 1), "198.51.100.7")))
            .GroupBy(o => o).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(20, outcomes["answered"]);
        Assert.Equal("answered", Outcome(h.Ask(ListedTxt, "198.51.100.7")));
    }

    [Fact]
    public void Case_randomised_copies_of_one_name_share_one_account()
    {
        var (h, _) = Limited(rate: 5, slip: 0);
        var rng = new Random(20);
        int answered = 0;
        for (int i = 0; i < 50; i++)
        {
            var name = new string("10.2.0.192.fp.example.org".Select(c => rng.Next(2) == 0 ? char.ToUpperInvariant(c) : c).ToArray());
            if (Outcome(h.Ask(QueryBuilder.Build(name, 16), "198.51.100.7")) == "answered") answered++;
        }
        Assert.Equal(5, answered);
    }

    [Fact]
    public void A_prefix_that_stops_is_answered_again_after_the_window_and_one_that_slows_down_gets_its_rate()
    {
        var (h, time) = Limited(rate: 10, slip: 0, window: 5);
        Flood(h, ListedTxt, "198.51.100.7", 1000);
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal("dropped", Outcome(h.Ask(ListedTxt, "198.51.100.7")));             // still paying the flood off
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(10, Flood(h, ListedTxt, "198.51.100.7", 10)["answered"]);         // paid off: a full second's budget
        for (int second = 0; second < 5; second++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            Assert.Equal(10, Flood(h, ListedTxt, "198.51.100.7", 10)["answered"]);     // at the rate: all answered
        }
    }

    [Fact]
    public void Clients_with_a_valid_server_cookie_are_not_limited()
    {
        var (h, _) = Limited(rate: 2, slip: 0, cookies: new CookieOptions { Secret = "000102030405060708090a0b0c0d0e0f" });
        byte[] clientCookie = [1, 2, 3, 4, 5, 6, 7, 8];
        var first = h.Ask(QueryBuilder.Build("10.2.0.192.fp.example.org", 16, ednsOptions: QueryBuilder.Option(10, clientCookie)), "198.51.100.7");
        var cookie = DnsFp.Tests.Server.Cookies.CookieTests.CookieOf(first);
        var withCookie = QueryBuilder.Build("10.2.0.192.fp.example.org", 16, ednsOptions: QueryBuilder.Option(10, cookie));
        Assert.Equal(100, Flood(h, withCookie, "198.51.100.7", 100)["answered"]);
        Assert.True(Flood(h, ListedTxt, "198.51.100.7", 5).ContainsKey("dropped"));     // without it: limited
        Assert.Equal("dropped", Outcome(h.Ask(withCookie, "198.51.100.8")));             // the cookie is for .7 only
    }
}
