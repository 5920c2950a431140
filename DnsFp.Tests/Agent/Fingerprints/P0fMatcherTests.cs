using DnsFp.Agent.Fingerprints;
using DnsFp.Agent.Fingerprints.P0fFp;
using DnsFp.Tests.Support;

namespace DnsFp.Tests.Agent.Fingerprints;

/// <summary>
/// The p0f.fp reader and the match qualities p0f reports, on a small file written here. Agreement with p0f itself
/// on the real p0f.fp is SynFingerprintConformanceTests' job.
/// </summary>
public sealed class P0fMatcherTests
{
    private static readonly string[] Database =
    [
        "; comment",
        "classes = win,unix,other",
        "[mtu]",
        "label = Ethernet or modem",
        "sig   = 1500",
        "[tcp:request]",
        "label = s:unix:Linux:3.11 and newer",
        "sig   = *:64:0:*:mss*20,10:mss,sok,ts,nop,ws:df,id+:0",
        "label = g:unix:Linux:2.2.x-3.x",
        "sig   = *:64:0:*:*,*:mss,sok,ts,nop,ws:df,id+:0",
        "label = s:!:NMap:SYN scan",
        "sys   = @unix,@win",
        "sig   = *:64-:0:1460:1024,0:mss::0",
        "label = s:unix:linux:odd spelling",
        "sig   = 4:64:0:1400:%1000,0:mss::+",
        "label = s:unix:NoFlavor:",
        "sig   = 4:128:0:1460:mtu*4,2:mss,nop,ws::0",
        "[tcp:response]",
        "label = s:unix:Linux:not a request",
        "sig   = *:64:0:*:1,0:mss::0",
    ];

    private static readonly P0fMatcher Matcher = new("test p0f.fp", P0fDatabase.Parse(Database));
    private static readonly SynBuilder Linux = new() { Window = 1460 * 20, Ttl = 60, DontFragment = true, IpId = 7, Options = SynBuilder.LinuxOptions(scale: 10) };

    private static SynFingerprint? Fingerprint(SynBuilder syn) => Matcher.Fingerprint(SynSupport.Parse(syn));

    [Fact]
    public void Exact_generic_and_fuzzy_matches_are_reported_as_p0f_reports_them()
    {
        Assert.Equal(new SynFingerprint("p0f.fp", "Linux 3.11 and newer", "exact", true), Fingerprint(Linux));
        Assert.Equal(new SynFingerprint("p0f.fp", "Linux 2.2.x-3.x", "generic", true), Fingerprint(Linux with { Options = SynBuilder.LinuxOptions(scale: 9) }));
        Assert.Equal(new SynFingerprint("p0f.fp", "Linux 3.11 and newer", "fuzzy", true), Fingerprint(Linux with { DontFragment = false }));   // df gone
        Assert.Equal(new SynFingerprint("p0f.fp", "Linux 3.11 and newer", "fuzzy", true), Fingerprint(Linux with { Ttl = 28 }));               // 36 hops
        Assert.Equal(new SynFingerprint("p0f.fp", "Linux 2.2.x-3.x", "generic fuzzy", true), Fingerprint(Linux with { Ttl = 28, Options = SynBuilder.LinuxOptions(scale: 9) }));
        Assert.Equal(new SynFingerprint("p0f.fp", "???", SynFingerprint.NoMatch, false), Fingerprint(Linux with { Sequence = 0 }));           // seq- is not fuzzy
    }

    [Fact]
    public void Userland_tools_match_only_exactly_and_keep_random_ttls()
    {
        var nmap = new SynBuilder { Window = 1024, Ttl = 41, DontFragment = false, IpId = 99, Options = SynBuilder.Mss(1460) };
        Assert.Equal("NMap SYN scan", Fingerprint(nmap)!.Label);
        Assert.Equal("NMap SYN scan", Fingerprint(nmap with { Ttl = 2 })!.Label);          // "64-": any TTL not above 64
        Assert.Equal("???", Fingerprint(nmap with { Ttl = 65 })!.Label);
        Assert.Equal("???", Fingerprint(nmap with { IpId = 0 })!.Label);                  // would be fuzzy (id- added): not for tools
    }

    [Fact]
    public void Names_keep_their_first_spelling_flavors_may_be_empty_window_forms_and_payload_count()
    {
        var odd = new SynBuilder { Window = 3000, Ttl = 64, DontFragment = false, IpId = 5, Options = SynBuilder.Mss(1400), Payload = new byte[8] };
        Assert.Equal("Linux odd spelling", Fingerprint(odd)!.Label);
        Assert.Equal("???", Fingerprint(odd with { Payload = [] })!.Label);
        Assert.Equal("???", Fingerprint(odd with { Window = 3001 })!.Label);
        var mtu = new SynBuilder { Window = 1500 * 4, Ttl = 120, DontFragment = false, IpId = 5, Options = SynBuilder.Join(SynBuilder.Mss(1460), SynBuilder.Nop, SynBuilder.WindowScale(2)) };
        Assert.Equal(new SynFingerprint("p0f.fp", "NoFlavor", "exact", true), Fingerprint(mtu));
    }

    [Fact]
    public void Packets_p0f_does_not_fingerprint_get_no_verdict()
    {
        Assert.Null(Fingerprint(Linux with { Flags = 0x03 }));                 // SYN+FIN
        Assert.Null(Fingerprint(Linux with { Flags = 0x12 }));                 // SYN+ACK
        Assert.Null(Fingerprint(Linux with { MoreFragments = true }));
    }

    [Fact]
    public void Only_request_signatures_load_and_bad_lines_are_reported_with_their_numbers()
    {
        Assert.Equal(5, Matcher.SignatureCount);
        var database = P0fDatabase.Parse(
        [
            "classes = unix",
            "[tcp:request]",
            "label = s:unix:Linux:3.x",
            "sig = 4:64:0:*:mss*10,*:mss,sok,ts,nop,ws:df,id+:0",
            "sig = 4:64:0:*:mss*10,4:mss,sok,ts,nop,ws:df,id+:0",   // 5: covered by line 4 (p0f 3.09b refuses the file)
            "sig = 7:64:0:*:*,*:mss::0",                            // 6: version
            "sig = *:999:0:*:*,*:mss::0",                           // 7: ttl
            "sig = *:64:0:*:mss*0,*:mss::0",                        // 8: multiplier
            "sig = *:64:0:*:*,*:mss,bogus::0",                      // 9: option
            "sig = 6:64:0:*:*,*:mss:df:0",                          // 10: df for IPv6
            "sig = *:64:0:*:*,*:eol+1,mss::0",                      // 11: eol not last
            "label = s:nosuchclass:X:y",                            // 12
            "sig = *:64:0:*:*,*:nop::0",                            // 13: under a skipped label
            "[tcp:sideways]",                                       // 14
            "what is this",                                         // 15
        ]);
        Assert.Equal([5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15], database.Problems.Select(p => p.Line));
        Assert.Single(database.SynSignatures);
        Assert.Contains("already covered by line 4", database.Problems[0].Message);
    }
}
