using System.Net;
using ARSoft.Tools.Net.Dns;
using DnsFp.Server.Cookies;
using DnsFp.Server.Engine;
using DnsFp.Tests.Support;

namespace DnsFp.Tests.Server.Cookies;

/// <summary>DNS COOKIEs: SipHash-2-4 against the paper's vectors, server cookies against RFC 9018 Appendix A, and the engine's handling of the option.</summary>
public sealed class CookieTests
{
    private const string Rfc9018Secret = "e5e973e5a6b2a43f48e7dc849e37bfcf";

    /// <summary>The COOKIE option's data in a response (client cookie + server cookie).</summary>
    public static byte[] CookieOf(byte[] response)
    {
        var m = DnsMessage.Parse(new ArraySegment<byte>(response));
        var option = Assert.Single(m.EDnsOptions!.Options, o => (ushort)o.Type == 10);
        var c = Assert.IsType<CookieOption>(option);
        return [.. c.ClientCookie, .. c.ServerCookie ?? []];
    }

    [Fact]
    public void SipHash24_matches_the_reference_vectors()
    {
        byte[] key = [.. Enumerable.Range(0, 16).Select(i => (byte)i)];
        Assert.Equal(0x726fdb47dd0e0e31ul, SipHash24.Hash(key, []));
        Assert.Equal(0xa129ca6149be45e5ul, SipHash24.Hash(key, [.. Enumerable.Range(0, 15).Select(i => (byte)i)]));
    }

    [Theory]
    [InlineData(1559731985L, "010000005cf79f111f8130c3eee29480")]    // RFC 9018 A.1
    [InlineData(1559734385L, "010000005cf7a871d4a564a1442aca77")]    // RFC 9018 A.2
    public void Server_cookies_are_the_ones_rfc_9018_publishes(long unixTime, string expected)
    {
        var time = new SteppedTimeProvider();
        time.Set(DateTimeOffset.FromUnixTimeSeconds(unixTime));
        var cookies = new ServerCookies(Convert.FromHexString(Rfc9018Secret), time);
        var client = Client.From(IPAddress.Parse("198.51.100.100"), AnswerEngine.Transport.Udp);
        var written = new byte[24];
        cookies.Write(Convert.FromHexString("2464c4abcf10c957"), client, written);
        Assert.Equal("2464c4abcf10c957" + expected, Convert.ToHexStringLower(written));
        Assert.True(cookies.IsValid(written, client));
    }

    [Fact]
    public void A_cookie_is_valid_only_for_its_client_its_secret_and_an_hour()
    {
        var time = new SteppedTimeProvider();
        var secret = Convert.FromHexString(Rfc9018Secret);
        var cookies = new ServerCookies(secret, time);
        var client = Client.From(IPAddress.Parse("2001:db8::53"), AnswerEngine.Transport.Udp);
        var cookie = new byte[24];
        cookies.Write([1, 2, 3, 4, 5, 6, 7, 8], client, cookie);
        Assert.True(new ServerCookies(secret, time).IsValid(cookie, client));                       // another server, same secret
        Assert.False(new ServerCookies(new byte[16], time).IsValid(cookie, client));               // another secret
        Assert.False(cookies.IsValid(cookie, Client.From(IPAddress.Parse("2001:db8::54"), AnswerEngine.Transport.Udp)));
        var tampered = (byte[])cookie.Clone();
        tampered[0] ^= 1;
        Assert.False(cookies.IsValid(tampered, client));                                           // client cookie changed
        time.Advance(TimeSpan.FromMinutes(59));
        Assert.True(cookies.IsValid(cookie, client));
        time.Advance(TimeSpan.FromMinutes(2));
        Assert.False(cookies.IsValid(cookie, client));                                             // older than an hour
    }

    private static readonly EngineHarness Harness = new(cookies: new CookieOptions { Secret = Rfc9018Secret });

    [Fact]
    public void A_client_cookie_gets_a_server_cookie_back_and_the_answer_is_unchanged()
    {
        byte[] clientCookie = [9, 8, 7, 6, 5, 4, 3, 2];
        var response = Harness.Ask(QueryBuilder.Build("10.2.0.192.fp.example.org", 1, ednsOptions: QueryBuilder.Option(10, clientCookie)), "198.51.100.7");
        var m = DnsMessage.Parse(new ArraySegment<byte>(response));
        Assert.Equal(ReturnCode.NoError, m.ReturnCode);
        Assert.Equal("127.0.0.19", Assert.Single(m.AnswerRecords.OfType<ARecord>()).Address.ToString());
        var cookie = CookieOf(response);
        Assert.Equal(24, cookie.Length);
        Assert.Equal(clientCookie, cookie[..8]);
        Assert.Equal(1, cookie[8]);                                                                 // version 1
        Assert.Null(ResponseShape.Problem(response));
    }

    [Theory]
    [InlineData(7)]
    [InlineData(12)]
    [InlineData(41)]
    public void A_cookie_of_a_wrong_length_is_formerr_with_opt(int length)
    {
        var response = Harness.Ask(QueryBuilder.Build("10.2.0.192.fp.example.org", 1, ednsOptions: QueryBuilder.Option(10, new byte[length])));
        var m = DnsMessage.Parse(new ArraySegment<byte>(response));
        Assert.Equal(ReturnCode.FormatError, m.ReturnCode);
        Assert.True(m.IsEDnsEnabled);
    }

    [Fact]
    public void A_query_with_no_question_and_a_cookie_gets_a_server_cookie()
    {
        // RFC 7873 5.4: header with QDCOUNT 0, then OPT with only a client cookie
        byte[] opt = [0, 0, 41, 4, 208, 0, 0, 0, 0, 0, 12, .. QueryBuilder.Option(10, 1, 1, 2, 2, 3, 3, 4, 4)];
        byte[] query = [0xAB, 0xCD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, .. opt];
        var response = Harness.Ask(query, "198.51.100.7");
        Assert.Equal(0xABCD, QueryBuilder.ReadId(response));
        Assert.Equal(0, response[3] & 0xF);                                                         // NOERROR
        Assert.Equal(24, CookieOf(response).Length);
    }
}
