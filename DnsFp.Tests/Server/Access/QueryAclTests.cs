using ARSoft.Tools.Net.Dns;
using DnsFp.Server.Access;
using DnsFp.Tests.Support;

namespace DnsFp.Tests.Server.Access;

/// <summary>Server:Allow / Server:Deny in the engine: denied clients get REFUSED or nothing, as rbldnsd's ACL does.</summary>
public sealed class QueryAclTests
{
    private static readonly byte[] Query = QueryBuilder.Build("10.2.0.192.fp.example.org", 1, ednsPayload: 1232);

    private static ReturnCode? Rcode(byte[] response) => response.Length == 0 ? null : DnsMessage.Parse(new ArraySegment<byte>(response)).ReturnCode;

    [Fact]
    public void Denied_ranges_are_refused_and_everyone_else_answered()
    {
        var h = new EngineHarness(access: new AccessOptions { Deny = ["198.51.100.0/24", "2001:db8:bad::/48"] });
        Assert.Equal(ReturnCode.Refused, Rcode(h.Ask(Query, "198.51.100.99")));
        Assert.Equal(ReturnCode.Refused, Rcode(h.Ask(Query, "2001:db8:bad:1::5")));
        Assert.Equal(ReturnCode.Refused, Rcode(h.Ask(Query, "::ffff:198.51.100.1")));           // mapped IPv4 is the IPv4
        Assert.Equal(ReturnCode.NoError, Rcode(h.Ask(Query, "198.51.101.1")));
        Assert.Equal(ReturnCode.NoError, Rcode(h.Ask(Query, "2001:db8:bad0::1")));
        var refused = DnsMessage.Parse(new ArraySegment<byte>(h.Ask(Query, "198.51.100.99")));
        Assert.Empty(refused.AnswerRecords);
        Assert.True(refused.IsEDnsEnabled);
    }

    [Fact]
    public void An_allow_list_answers_only_its_ranges_and_deny_wins_over_it()
    {
        var h = new EngineHarness(access: new AccessOptions { Allow = ["192.0.2.0/24", "10.0.0.0/8"], Deny = ["10.9.0.0/16"] });
        Assert.Equal(ReturnCode.NoError, Rcode(h.Ask(Query, "192.0.2.200")));
        Assert.Equal(ReturnCode.NoError, Rcode(h.Ask(Query, "10.1.2.3")));
        Assert.Equal(ReturnCode.Refused, Rcode(h.Ask(Query, "10.9.1.1")));
        Assert.Equal(ReturnCode.Refused, Rcode(h.Ask(Query, "203.0.113.1")));
        Assert.Equal(ReturnCode.Refused, Rcode(h.Ask(Query, "2001:db8::1")));
    }

    [Fact]
    public void Deny_action_drop_sends_nothing()
    {
        var h = new EngineHarness(access: new AccessOptions { Deny = ["203.0.113.0/24"], DenyAction = DenyAction.Drop });
        Assert.Null(Rcode(h.Ask(Query, "203.0.113.9")));
        Assert.Null(Rcode(h.Ask(Query, "203.0.113.9", tcp: true)));
        Assert.Equal(ReturnCode.NoError, Rcode(h.Ask(Query, "203.0.114.9")));
    }
}
