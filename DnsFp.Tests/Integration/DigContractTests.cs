using System.Text.RegularExpressions;
using DnsFp.Tests.Support;

namespace DnsFp.Tests.Integration;

/// <summary>
/// Every row of the DNS contract (DESIGN.md), asked with the real dig over UDP and TCP of a server fed by the agent
/// with the bundled sample. Bands follow from the sample's counts (deploy/sample/make-sample.py) and the default
/// band table: minimum 50 verdicts, label first, then class.
/// </summary>
public sealed class DigContractTests(SampleDnsbl dnsbl) : IClassFixture<SampleDnsbl>
{
    public static TheoryData<string, string> Bands => new()
    {
        { "192.0.2.10", "127.0.0.19" },      // AIX: 97 of 100 rejected
        { "192.0.2.12", "127.0.0.19" },      // AIX, seen through an rdr (NAT'd state line)
        { "198.51.100.20", "127.0.0.15" },   // Windows 2000 RFC1323: 30 verdicts, so class Windows: 122 of 210 = 58 %
        { "198.51.100.21", "127.0.0.15" },   // Windows 98 noSACK: 56 %
        { "203.0.113.30", "127.0.0.17" },    // Windows XP: 70 %
        { "2001:db8::30", "127.0.0.17" },    // Windows XP over IPv6
        { "192.0.2.40", "127.0.0.11" },      // Linux 2.6: 19 %
        { "2001:db8::40", "127.0.0.11" },    // Linux 2.6 over IPv6
        { "203.0.113.50", "127.0.0.3" },     // FreeBSD: 5 verdicts, class too: unrated
        { "203.0.113.60", "127.0.0.14" },    // pf "unknown": the Unknown label, 40 %
    };

    [Theory]
    [MemberData(nameof(Bands))]
    public async Task Listed_address_answers_its_band_over_udp_and_tcp(string address, string band)
    {
        string name = QueryBuilder.Reverse(address) + ".fp.example.org";
        Assert.Equal([band], await Dig.ShortAsync(dnsbl.Port, name, "A"));
        Assert.Equal([band], await Dig.ShortAsync(dnsbl.Port, name, "A", "+tcp"));
    }

    [Theory]
    [InlineData("192.0.2.10", "AIX")]
    [InlineData("198.51.100.20", "Windows 2000 RFC1323")]
    [InlineData("2001:db8::40", "Linux 2.6")]
    [InlineData("203.0.113.60", "Unknown")]
    public async Task Txt_is_one_printable_string_starting_with_the_label(string address, string label)
    {
        var txt = await Dig.ShortAsync(dnsbl.Port, QueryBuilder.Reverse(address) + ".fp.example.org", "TXT");
        var single = Assert.Single(txt);
        Assert.Matches("^\"[ -~]{1,255}\"$", single);
        Assert.StartsWith("\"" + label + ";", single, StringComparison.Ordinal);
        Assert.DoesNotContain("\" \"", single, StringComparison.Ordinal);                   // one character-string
    }

    [Fact]
    public async Task Any_answers_a_and_txt()
    {
        var output = await Dig.RunAsync(dnsbl.Port, "10.2.0.192.fp.example.org", "ANY", "+norec");
        Assert.Equal("NOERROR", Dig.Status(output));
        Assert.Matches(@"10\.2\.0\.192\.fp\.example\.org\.\s+300\s+IN\s+A\s+127\.0\.0\.19", output);
        Assert.Matches(@"10\.2\.0\.192\.fp\.example\.org\.\s+300\s+IN\s+TXT\s+""AIX;", output);
    }

    [Theory]
    [InlineData("10.2.0.192.fp.example.org", "MX")]              // listed, other type
    [InlineData("10.2.0.192.fp.example.org", "AAAA")]
    [InlineData("0.127.fp.example.org", "A")]                   // partial key: QNAME minimisation must not see NXDOMAIN
    [InlineData("2.0.0.fp.example.org", "A")]
    [InlineData("0.0.0.0.0.0.0.0.fp.example.org", "TXT")]       // partial IPv6 key
    [InlineData("fp.example.org", "A")]                         // apex, type without data
    public async Task Nodata_is_noerror_with_soa_and_no_answer(string name, string type)
    {
        var output = await Dig.RunAsync(dnsbl.Port, name, type, "+norec");
        Assert.Equal("NOERROR", Dig.Status(output));
        Assert.Contains("ANSWER: 0,", output, StringComparison.Ordinal);
        Assert.Matches(@"AUTHORITY SECTION:\s+fp\.example\.org\.\s+60\s+IN\s+SOA\s+ns1\.fp\.example\.org\.", output);
        Assert.Contains(" aa", FlagsOf(output), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("99.2.0.192.fp.example.org")]                   // never fingerprinted
    [InlineData("70.113.0.203.fp.example.org")]                 // its pf rule has no os
    [InlineData("99.100.51.198.fp.example.org")]                // outbound state only
    [InlineData("1.0.0.127.fp.example.org")]                    // RFC 5782: never listed
    [InlineData("1.0.0.7.f.0.0.0.f.f.f.f.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.fp.example.org")]   // ::ffff:7f00:1
    [InlineData("256.2.0.192.fp.example.org")]                  // malformed keys
    [InlineData("10.02.0.192.fp.example.org")]
    [InlineData("mail.fp.example.org")]
    [InlineData("1.10.2.0.192.fp.example.org")]
    public async Task Unlisted_or_malformed_is_nxdomain_with_soa_minimum_ttl(string name)
    {
        var output = await Dig.RunAsync(dnsbl.Port, name, "A", "+norec");
        Assert.Equal("NXDOMAIN", Dig.Status(output));
        Assert.Matches(@"AUTHORITY SECTION:\s+fp\.example\.org\.\s+60\s+IN\s+SOA\s", output);
        Assert.Contains(" aa", FlagsOf(output), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2.0.0.127.fp.example.org")]
    [InlineData("2.0.0.0.0.0.f.7.f.f.f.f.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.fp.example.org")]   // ::ffff:7f00:2
    public async Task Rfc5782_test_entry_is_listed(string name)
    {
        Assert.Equal(["127.0.0.2"], await Dig.ShortAsync(dnsbl.Port, name, "A"));
        var txt = Assert.Single(await Dig.ShortAsync(dnsbl.Port, name, "TXT"));
        Assert.Contains("RFC 5782 test entry", txt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mapped_ipv6_name_is_looked_up_as_ipv4()
    {
        // ::ffff:192.0.2.10 = ::ffff:c000:20a
        Assert.Equal(["127.0.0.19"], await Dig.ShortAsync(dnsbl.Port, "a.0.2.0.0.0.0.c.f.f.f.f.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.fp.example.org", "A"));
    }

    [Fact]
    public async Task Apex_soa_and_ns_come_from_the_zone_file_with_the_serial_of_the_data()
    {
        // the serial is the file's plus the change feeds' sequences plus today's day number (Zones/ZoneSerial.cs)
        using var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(dnsbl.Redis.Endpoint);
        long sequence = await DnsFp.Server.Follower.ChangeFeed.SequenceSumAsync(redis.GetDatabase());
        long serial = 2026112701L + sequence + DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 86400;
        Assert.Equal([$"ns1.fp.example.org. hostmaster.example.org. {serial} 3600 900 604800 60"], await Dig.ShortAsync(dnsbl.Port, "fp.example.org", "SOA"));
        Assert.Equal(["ns1.fp.example.org."], await Dig.ShortAsync(dnsbl.Port, "fp.example.org", "NS", "+tcp"));
        Assert.Equal(["127.0.0.1"], await Dig.ShortAsync(dnsbl.Port, "ns1.fp.example.org", "A"));
    }

    [Theory]
    [InlineData("example.com")]
    [InlineData("www.google.com")]
    [InlineData("example.org")]                                 // the parent of our zone is not ours either
    [InlineData("10.2.0.192.fp.example.org.evil.test")]
    public async Task Names_outside_the_zone_are_refused_without_recursion(string name)
    {
        var output = await Dig.RunAsync(dnsbl.Port, name, "A");     // dig asks for recursion by default
        Assert.Equal("REFUSED", Dig.Status(output));
        Assert.DoesNotContain(" ra", FlagsOf(output), StringComparison.Ordinal);
        Assert.DoesNotContain(" aa", FlagsOf(output), StringComparison.Ordinal);
        Assert.Contains("ANSWER: 0,", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Names_match_without_case_and_the_question_is_echoed_as_sent()
    {
        var output = await Dig.RunAsync(dnsbl.Port, "10.2.0.192.Fp.ExAmPlE.oRg", "A", "+norec");
        Assert.Matches(@";10\.2\.0\.192\.Fp\.ExAmPlE\.oRg\.\s+IN\s+A", output);
        Assert.Matches(@"10\.2\.0\.192\.Fp\.ExAmPlE\.oRg\.\s+300\s+IN\s+A\s+127\.0\.0\.19", output);
    }

    [Fact]
    public async Task Edns0_is_answered_with_our_payload_size_and_plain_queries_without_opt()
    {
        var edns = await Dig.RunAsync(dnsbl.Port, "2.0.0.127.fp.example.org", "A", "+edns=0", "+bufsize=4096");
        Assert.Contains("EDNS: version: 0, flags:; udp: 1232", edns, StringComparison.Ordinal);
        var plain = await Dig.RunAsync(dnsbl.Port, "2.0.0.127.fp.example.org", "A", "+noedns");
        Assert.DoesNotContain("OPT PSEUDOSECTION", plain, StringComparison.Ordinal);
        Assert.Equal("NOERROR", Dig.Status(plain));
        var badVersion = await Dig.RunAsync(dnsbl.Port, "2.0.0.127.fp.example.org", "A", "+edns=1", "+noednsnegotiation");
        Assert.Equal("BADVERS", Dig.Status(badVersion));
    }

    [Fact]
    public void Import_reported_what_it_did()
    {
        Assert.Equal(0, dnsbl.Import.ExitCode);
        Assert.Contains("13 observations", dnsbl.Import.Output, StringComparison.Ordinal);
        Assert.Contains("212 accepted, 263 rejected", dnsbl.Import.Output, StringComparison.Ordinal);
    }

    private static string FlagsOf(string digOutput) => Regex.Match(digOutput, ";; flags:([^;]*);").Groups[1].Value;
}
