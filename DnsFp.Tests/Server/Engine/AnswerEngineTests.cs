using ARSoft.Tools.Net.Dns;
using DnsFp.Tests.Support;

namespace DnsFp.Tests.Server.Engine;

/// <summary>The engine's contract rows that dig cannot send (malformed packets, opcodes, classes) and truncation, parsed back with ARSoft.</summary>
public sealed class AnswerEngineTests
{
    private const string BigZone = """
        $ORIGIN big.test.
        $TTL 300
        @ IN SOA ns.big.test. h.big.test. 1 1h 15m 1w 1m
        @ IN NS ns.big.test.
        """;

    private static readonly EngineHarness Harness = new(BigZone + string.Concat(Enumerable.Range(0, 12).Select(i => $"\n@ IN TXT \"{new string((char)('a' + i), 200)}\"")));

    private static DnsMessage Parse(byte[] response) => DnsMessage.Parse(new ArraySegment<byte>(response));

    [Fact]
    public void Listed_address_gets_band_and_txt_with_aa_and_the_id_echoed()
    {
        var r = Parse(Harness.Ask(QueryBuilder.Build("10.2.0.192.fp.example.org", 255, id: 0xBEEF)));
        Assert.Equal(0xBEEF, r.TransactionID);
        Assert.True(r.IsAuthoritiveAnswer);
        Assert.False(r.IsRecursionAllowed);
        Assert.Equal(ReturnCode.NoError, r.ReturnCode);
        Assert.Equal("127.0.0.19", Assert.Single(r.AnswerRecords.OfType<ARecord>()).Address.ToString());
        Assert.StartsWith("AIX; 97% spam", Assert.Single(r.AnswerRecords.OfType<TxtRecord>()).TextData, StringComparison.Ordinal);
    }

    [Fact]
    public void Long_labels_still_give_one_txt_string_of_at_most_255_bytes()
    {
        var r = Parse(Harness.Ask(QueryBuilder.Build("99.2.0.192.fp.example.org", 16)));
        var txt = Assert.Single(r.AnswerRecords.OfType<TxtRecord>());
        Assert.Single(txt.TextParts);
        Assert.InRange(txt.TextData.Length, 121, 255);
        Assert.All(txt.TextData, c => Assert.InRange(c, ' ', '~'));
    }

    [Fact]
    public void Answer_that_does_not_fit_udp_sets_tc_and_tcp_carries_it_all()
    {
        var udp = Harness.Ask(QueryBuilder.Build("big.test", 16));
        var parsedUdp = Parse(udp);
        Assert.True(parsedUdp.IsTruncated);
        Assert.Empty(parsedUdp.AnswerRecords);
        Assert.True(udp.Length <= 512);

        var edns = Parse(Harness.Ask(QueryBuilder.Build("big.test", 16, ednsPayload: 4096)));
        Assert.True(edns.IsTruncated);                                     // 12 × 212 bytes > 1232

        var tcp = Parse(Harness.Ask(QueryBuilder.Build("big.test", 16), tcp: true));
        Assert.False(tcp.IsTruncated);
        Assert.Equal(12, tcp.AnswerRecords.Count);
    }

    [Fact]
    public void Edns_payload_below_512_is_treated_as_512()
    {
        var r = Parse(Harness.Ask(QueryBuilder.Build("10.2.0.192.fp.example.org", 255, ednsPayload: 100)));
        Assert.False(r.IsTruncated);
        Assert.Equal(2, r.AnswerRecords.Count);
        Assert.True(r.IsEDnsEnabled);
    }

    [Theory]
    [InlineData(new byte[] { 0x12 }, 0)]                                             // no header: dropped
    [InlineData(new byte[] { 0x12, 0x34, 0x80, 0, 0, 1, 0, 0, 0, 0, 0, 0 }, 0)]    // a response: dropped
    public void Unanswerable_packets_are_dropped(byte[] packet, int expectedLength) =>
        Assert.Equal(expectedLength, Harness.Ask(packet).Length);

    [Fact]
    public void Header_only_and_truncated_questions_get_formerr_with_the_id()
    {
        var query = QueryBuilder.Build("10.2.0.192.fp.example.org", 1, id: 0x4242);
        for (int cut = 12; cut < query.Length; cut++)
        {
            var r = Harness.Ask(query[..cut]);
            Assert.Equal(0x4242, QueryBuilder.ReadId(r));
            Assert.Equal(1, r[3] & 0xF);                                                 // FORMERR
            Assert.Null(ResponseShape.Problem(r));
        }
    }

    [Fact]
    public void Compressed_question_name_is_formerr()
    {
        byte[] q = [0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 12, 0, 1, 0, 1];
        Assert.Equal(1, Harness.Ask(q)[3] & 0xF);
    }

    [Fact]
    public void Two_questions_is_formerr()
    {
        var q = QueryBuilder.Build("10.2.0.192.fp.example.org", 1);
        q[5] = 2;
        Assert.Equal(1, Harness.Ask(q)[3] & 0xF);
    }

    [Fact]
    public void Other_opcodes_get_notimp()
    {
        var q = QueryBuilder.Build("fp.example.org", 6);
        q[2] |= 2 << 3;                                                                  // STATUS
        Assert.Equal(4, Harness.Ask(q)[3] & 0xF);
    }

    [Theory]
    [InlineData(3)]      // CHAOS
    [InlineData(4)]      // HESIOD
    public void Other_classes_are_refused(ushort qclass) =>
        Assert.Equal(5, Harness.Ask(QueryBuilder.Build("2.0.0.127.fp.example.org", 1, qclass: qclass))[3] & 0xF);

    [Theory]
    [InlineData(252)]    // AXFR
    [InlineData(251)]    // IXFR
    public void Zone_transfers_are_refused(ushort type) =>
        Assert.Equal(5, Harness.Ask(QueryBuilder.Build("fp.example.org", type), tcp: true)[3] & 0xF);

    [Fact]
    public void Ipv6_nibble_name_is_listed()
    {
        var r = Parse(Harness.Ask(QueryBuilder.Build(QueryBuilder.Reverse("2001:db8::40") + ".fp.example.org", 1)));
        Assert.Equal("127.0.0.11", Assert.Single(r.AnswerRecords.OfType<ARecord>()).Address.ToString());
    }

    [Fact]
    public void Refused_answers_are_not_authoritative()
    {
        var r = Parse(Harness.Ask(QueryBuilder.Build("example.com", 1)));
        Assert.Equal(ReturnCode.Refused, r.ReturnCode);
        Assert.False(r.IsAuthoritiveAnswer);
        Assert.Empty(r.AnswerRecords);
    }
}
