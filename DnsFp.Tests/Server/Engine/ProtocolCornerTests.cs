using ARSoft.Tools.Net.Dns;
using DnsFp.Server.Identity;
using DnsFp.Tests.Support;

namespace DnsFp.Tests.Server.Engine;

/// <summary>The protocol corners NSD and Knot get right: RFC 8020 empty non-terminals, OPT in every answer to an EDNS query, transfers refused, broken OPT options, NSID and CHAOS.</summary>
public sealed class ProtocolCornerTests
{
    private static readonly EngineHarness Harness = new(identity: new IdentityOptions { Nsid = "dnsfp-test-1", Identity = "ns1.test" });

    private static DnsMessage Ask(byte[] query) => DnsMessage.Parse(new ArraySegment<byte>(Harness.Ask(query)));

    private static string Nibbles(string address) => QueryBuilder.Reverse(address);

    public static TheoryData<string> PrefixesOfListedAndTestNames()
    {
        var data = new TheoryData<string>();
        foreach (var address in new[] { "2001:db8::40", "::ffff:127.0.0.2" })
        {
            var labels = Nibbles(address).Split('.');
            for (int keep = 1; keep < 32; keep++) data.Add(string.Join('.', labels[^keep..]));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(PrefixesOfListedAndTestNames))]
    public void Every_prefix_of_a_listed_or_test_ipv6_name_is_nodata_never_nxdomain(string prefix)
    {
        foreach (ushort type in new ushort[] { 1, 16, 28 })
        {
            var m = Ask(QueryBuilder.Build(prefix + ".fp.example.org", type));
            Assert.Equal(ReturnCode.NoError, m.ReturnCode);
            Assert.Empty(m.AnswerRecords);
            Assert.IsType<SoaRecord>(Assert.Single(m.AuthorityRecords));
        }
    }

    [Fact]
    public void Four_digit_labels_answer_as_ipv4_when_listed_and_as_an_empty_non_terminal_otherwise()
    {
        Harness.Index.Addresses.Set(EngineHarness.V4("1.2.3.4"), EngineHarness.SeenToday(1));
        Assert.Equal("127.0.0.19", Assert.Single(Ask(QueryBuilder.Build("4.3.2.1.fp.example.org", 1)).AnswerRecords.OfType<ARecord>()).Address.ToString());
        Assert.Equal(ReturnCode.NoError, Ask(QueryBuilder.Build("5.3.2.1.fp.example.org", 1)).ReturnCode);
        Assert.Equal(ReturnCode.NxDomain, Ask(QueryBuilder.Build("15.3.2.1.fp.example.org", 1)).ReturnCode);   // not a nibble name: nothing below
    }

    public static TheoryData<string, byte[], ReturnCode> ErrorQueries() => new()
    {
        { "NOTIMP (opcode STATUS)", WithOpcode(QueryBuilder.Build("fp.example.org", 6, ednsPayload: 1232), 2), ReturnCode.NotImplemented },
        { "REFUSED (opcode NOTIFY: nobody's secondary)", WithOpcode(QueryBuilder.Build("fp.example.org", 6, ednsPayload: 1232), 4), ReturnCode.Refused },
        { "REFUSED (not our zone)", QueryBuilder.Build("example.com", 1, ednsPayload: 1232), ReturnCode.Refused },
        { "NOTIMP (AXFR over UDP, as NSD and Knot)", QueryBuilder.Build("fp.example.org", 252, ednsPayload: 1232), ReturnCode.NotImplemented },
        { "REFUSED (IXFR with its SOA)", Ixfr(), ReturnCode.Refused },
        { "REFUSED (class CH, not an identity name)", QueryBuilder.Build("version.bind", 16, ednsPayload: 1232, qclass: 3), ReturnCode.Refused },
        { "FORMERR (option past RDATA)", OptionPastRdata(), ReturnCode.FormatError },
        { "FORMERR (two questions)", TwoQuestions(), ReturnCode.FormatError },
    };

    [Theory]
    [MemberData(nameof(ErrorQueries))]
    public void Errors_to_an_edns_query_carry_opt(string what, byte[] query, ReturnCode rcode)
    {
        var response = Harness.Ask(query);
        Assert.Null(ResponseShape.Problem(response));
        var m = DnsMessage.Parse(new ArraySegment<byte>(response));
        Assert.True(m.ReturnCode == rcode, what);
        Assert.True(m.IsEDnsEnabled, $"{what}: no OPT");
    }

    [Fact]
    public void A_question_of_type_opt_is_nodata_as_nsd_and_knot_answer()
    {
        var m = Ask(QueryBuilder.Build("fp.example.org", 41, ednsPayload: 1232));
        Assert.Equal(ReturnCode.NoError, m.ReturnCode);
        Assert.Empty(m.AnswerRecords);
        Assert.IsType<SoaRecord>(Assert.Single(m.AuthorityRecords));
    }

    [Fact]
    public void Nsid_is_sent_only_to_clients_that_ask()
    {
        var asked = Ask(QueryBuilder.Build("10.2.0.192.fp.example.org", 1, ednsOptions: QueryBuilder.Option(3)));
        var nsid = Assert.IsType<NsIdOption>(Assert.Single(asked.EDnsOptions!.Options));
        Assert.Equal("dnsfp-test-1", System.Text.Encoding.ASCII.GetString(nsid.Payload));
        Assert.Empty(Ask(QueryBuilder.Build("10.2.0.192.fp.example.org", 1, ednsPayload: 1232)).EDnsOptions!.Options);
        var unconfigured = new EngineHarness().Ask(QueryBuilder.Build("10.2.0.192.fp.example.org", 1, ednsOptions: QueryBuilder.Option(3)));
        Assert.Empty(DnsMessage.Parse(new ArraySegment<byte>(unconfigured)).EDnsOptions!.Options);              // no identity configured: none sent
    }

    [Theory]
    [InlineData("id.server")]
    [InlineData("HOSTNAME.bind")]
    public void Chaos_identity_names_are_answered_when_configured(string name)
    {
        var m = Ask(QueryBuilder.Build(name, 16, qclass: 3));
        Assert.Equal(ReturnCode.NoError, m.ReturnCode);
        var txt = Assert.IsType<TxtRecord>(Assert.Single(m.AnswerRecords));
        Assert.Equal(RecordClass.Chaos, txt.RecordClass);
        Assert.Equal("ns1.test", txt.TextData);
        Assert.Equal(ReturnCode.Refused, DnsMessage.Parse(new ArraySegment<byte>(new EngineHarness().Ask(QueryBuilder.Build(name, 16, qclass: 3)))).ReturnCode);
    }

    [Fact]
    public void A_query_larger_than_4_kb_is_read()
    {
        var big = QueryBuilder.Build("10.2.0.192.fp.example.org", 1, ednsOptions: QueryBuilder.Option(12, new byte[6000]));   // PADDING
        var m = Ask(big);
        Assert.Equal(ReturnCode.NoError, m.ReturnCode);
        Assert.Single(m.AnswerRecords);
    }

    private static byte[] WithOpcode(byte[] query, int opcode)
    {
        query[2] = (byte)(query[2] & 0x87 | opcode << 3);
        return query;
    }

    private static byte[] Ixfr()
    {
        // IXFR query: the question, then the client's SOA in the authority section (RFC 1995 3), then OPT
        var q = QueryBuilder.Build("fp.example.org", 251);
        byte[] soaRdata = [0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        byte[] soa = [0xC0, 12, 0, 6, 0, 1, 0, 0, 0, 0, 0, (byte)soaRdata.Length, .. soaRdata];
        byte[] opt = [0, 0, 41, 4, 208, 0, 0, 0, 0, 0, 0];
        q[9] = 1; q[11] = 1;
        return [.. q, .. soa, .. opt];
    }

    private static byte[] OptionPastRdata()
    {
        var q = QueryBuilder.Build("10.2.0.192.fp.example.org", 1, ednsOptions: [0, 3, 0, 10, 1, 2]);   // NSID claims 10 bytes, 2 follow
        return q;
    }

    private static byte[] TwoQuestions()
    {
        var one = QueryBuilder.Build("10.2.0.192.fp.example.org", 1);
        var name = QueryBuilder.EncodeName("fp.example.org");
        byte[] q = [.. one, .. name, 0, 6, 0, 1, 0, 0, 41, 4, 208, 0, 0, 0, 0, 0, 0];
        q[5] = 2; q[11] = 1;
        return q;
    }
}
