using DnsFp.Agent.Import;
using DnsFp.Agent.Sources.Pf;

namespace DnsFp.Tests.Agent.Pf;

public sealed class PfRuleSetTests
{
    private static PfRuleSet Parse(string text, out LineProblems problems)
    {
        problems = new LineProblems("rules");
        return PfRuleSet.Parse(text.Split('\n'), problems);
    }

    [Fact]
    public void Numbered_rules_keep_their_numbers_and_os()
    {
        var rules = Parse("""
            @0 match in all scrub (no-df)
              [ Evaluations: 1558      Packets: 16048     Bytes: 7312376     States: 2     ]
            @12 pass in quick on em0 inet proto tcp from any os "Windows 2000 RFC1323" to any port = 25 flags S/SA label "os-win"
              [ Inserted: uid 0 pid 4321 State Creations: 42    ]
            @334(0) anchor "tftp-proxy/*" all
            """, out var problems);
        Assert.Equal(0, problems.Count);
        Assert.True(rules.TryGet(12, out var r));
        Assert.Equal("Windows 2000 RFC1323", r.Os);
        Assert.True(rules.TryGet(334, out var anchor));
        Assert.Null(anchor.Os);
        Assert.True(rules.TryGet(0, out _));
    }

    [Fact]
    public void Unnumbered_freebsd_output_numbers_filter_rules_apart_from_scrub()
    {
        // FreeBSD prints scrub rules first; they have their own numbering, so the first filter rule is rule 0.
        var rules = Parse("""
            scrub in on em0 all fragment reassemble
              [ Evaluations: 369261    Packets: 30116     Bytes: 0           States: 0     ]
            block drop log all
            pass in quick on em0 proto tcp from any os "AIX" to any port = smtp flags S/SA keep state
            pass in quick on em0 proto tcp from any to any port = smtp flags S/SA keep state
            """, out var problems);
        Assert.Equal(0, problems.Count);
        Assert.True(rules.TryGet(1, out var aix));
        Assert.Equal("AIX", aix.Os);
        Assert.True(rules.TryGet(2, out var plain));
        Assert.Null(plain.Os);
        Assert.False(rules.TryGet(3, out _));
    }

    [Fact]
    public void Rules_inside_an_inline_anchor_are_not_main_ruleset_rules()
    {
        var rules = Parse("""
            @0 pass in quick proto tcp from any os "Linux" to any port = 25
            @1 anchor "mail" all {
              pass in quick proto tcp from any os "AIX" to any port = 25
            }
            @2 pass in quick proto tcp from any os "OpenBSD" to any port = 25
            """, out var problems);
        Assert.Equal(0, problems.Count);
        Assert.Equal(["Linux", null, "OpenBSD"], Enumerable.Range(0, 3).Select(i => rules.TryGet(i, out var r) ? r.Os : "missing"));
    }

    [Fact]
    public void Translation_rules_do_not_shift_filter_numbers()
    {
        var rules = Parse("""
            TRANSLATION RULES:
            nat inet proto tcp from 10.30.50.3 to 193.162.146.4 port = 64093 rtable 0 -> 10.0.2.15
            rdr inet proto tcp from 10.30.50.3 to 193.162.146.4 port = 64038 rtable 0 -> 193.162.146.4 port 64093

            FILTER RULES:
            pass in quick inet proto tcp from any os "Solaris" to any port = 25 flags S/SA keep state
            """, out _);
        Assert.True(rules.TryGet(0, out var r));
        Assert.Equal("Solaris", r.Os);
    }

    [Fact]
    public void A_garbled_line_is_reported_with_its_number()
    {
        Parse("@0 pass all\nthis is not pfctl\n", out var problems);
        Assert.Equal(1, problems.Count);
        var sw = new StringWriter();
        problems.WriteTo(sw);
        Assert.Contains("line 2", sw.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("01-freebsd14-pfctl-vsr.real.txt", 4)]
    [InlineData("03-pfsense-pfctl-vvsr-anchor.real.txt", 1)]
    [InlineData("05-openbsd-pfctl-vvsr-and-pflog.real.txt", 1)]
    public void Real_captures_parse(string file, int filterRules)
    {
        var reference = Support.RepoPaths.SharedReference;
        if (reference is null) return;
        var problems = new LineProblems(file);
        var lines = File.ReadLines(Path.Combine(reference, "pfctl", file)).TakeWhile(l => !l.StartsWith("# (b)", StringComparison.Ordinal));
        var rules = PfRuleSet.Parse(lines, problems);
        Assert.Equal(filterRules, rules.Count);
        Assert.Equal(0, problems.Count);
    }
}
