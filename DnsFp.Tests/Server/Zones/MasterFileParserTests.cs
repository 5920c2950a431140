using DnsFp.Server.Wire;
using DnsFp.Server.Zones;

namespace DnsFp.Tests.Server.Zones;

public sealed class MasterFileParserTests
{
    [Fact]
    public void Repo_zone_parses_with_its_ttls()
    {
        var zone = MasterFileParser.Parse(File.ReadAllText(Path.Combine(Support.RepoPaths.Zones, "fp.example.org.zone")), "fp.example.org", "fp.example.org.zone");
        Assert.Equal("fp.example.org", zone.Name);
        Assert.Equal(60u, zone.NegativeTtl);
        Assert.Equal(300u, zone.ListingTtl);
        Assert.Equal(3600u, zone.Soa.Ttl);
        Assert.Contains(zone.Records, r => r.Type == (ushort)RecordType.NS && r.RelativeOwner.Length == 0);
    }

    [Fact]
    public void One_line_soa_and_unit_ttls_and_relative_names_work()
    {
        // ARSoft returns an empty zone for a one-line ( ... ) SOA and rejects "1h": the reasons we parse ourselves.
        var zone = MasterFileParser.Parse("""
            @ 1h IN SOA ns hostmaster ( 1 1h 15m 1w 2m )
              IN NS ns
            ns IN A 192.0.2.53
            _info.sub TXT "hello; world" "two"
            """, "bl.test", "bl.test.zone");
        Assert.Equal(120u, zone.NegativeTtl);
        Assert.Equal(3600u, zone.ListingTtl);
        Assert.Equal("ns.bl.test", WireName.ToText(zone.Records.Single(r => r.Type == (ushort)RecordType.NS).Rdata));
        Assert.Single(zone.EmptyNonTerminals);                              // "sub" exists only as a parent
    }

    [Theory]
    [InlineData("@ IN NS ns.x.\n", "no SOA")]
    [InlineData("@ IN SOA ns h 1 1 1 1 1\n", "no NS")]
    [InlineData("@ IN SOA ns h 1 1 1 1 1\n@ NS ns\nwww IN CNAME x\n", "line 3")]
    [InlineData("@ IN SOA ns h 1 1 1 1 1\n@ NS ns\nother.example. IN A 192.0.2.1\n", "outside the zone")]
    [InlineData("@ IN SOA ns h ( 1 1 1 1 1\n", "never closed")]
    [InlineData("@ IN SOA ns h 1 1 1 1 1\n@ NS ns\nx IN A 300.1.1.1\n", "line 3")]
    public void Bad_zone_files_say_what_and_where(string text, string expected)
    {
        var ex = Assert.Throws<FormatException>(() => MasterFileParser.Parse(text, "x.test", "x.test.zone"));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("3600", 3600u)]
    [InlineData("1h", 3600u)]
    [InlineData("1w2d", 777600u)]
    [InlineData("1H30M", 5400u)]
    public void Ttls_with_units(string text, uint seconds)
    {
        Assert.True(TtlText.TryParse(text, out uint s));
        Assert.Equal(seconds, s);
    }

    [Theory]
    [InlineData("1h30")]
    [InlineData("h")]
    [InlineData("1y")]
    [InlineData("")]
    public void Bad_ttls_are_refused(string text) => Assert.False(TtlText.TryParse(text, out _));
}
