using System.Net;
using DnsFp.Server.Lifecycle;
using DnsFp.Tests.Support;

namespace DnsFp.Tests.Server.Lifecycle;

public sealed class RangeSetTests
{
    [Theory]
    [InlineData("192.0.2.7", "192.0.2.7")]
    [InlineData("198.51.100.0/24", "198.51.100.0/24")]
    [InlineData("2001:db8::/32", "2001:db8::/32")]
    [InlineData("::ffff:192.0.2.0/120", "192.0.2.0/24")]
    [InlineData(" 0.0.0.0/0 ", "0.0.0.0/0")]
    public void Parses_addresses_and_ranges_into_their_canonical_form(string text, string expected) =>
        Assert.Equal(expected, AddressRange.Parse(text).ToString());

    [Theory]
    [InlineData("999.1.1.1")]
    [InlineData("192.0.2.0/33")]
    [InlineData("192.0.2.5/24")]
    [InlineData("192.0.2")]
    [InlineData("1")]
    [InlineData("/24")]
    [InlineData("2001:db8::/129")]
    public void Rejects_what_is_not_a_range_with_a_reason(string text)
    {
        Assert.False(AddressRange.TryParse(text, out _, out var problem));
        Assert.Contains(text.Trim(), problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Contains_exactly_the_addresses_of_its_merged_ranges()
    {
        var set = new RangeSet(new[] { "10.0.0.0/8", "10.1.0.0/16", "192.0.2.7", "192.0.2.8/31", "255.255.255.255", "2001:db8::/126" }.Select(AddressRange.Parse));
        foreach (var inside in new[] { "10.0.0.0", "10.255.255.255", "192.0.2.7", "192.0.2.9", "255.255.255.255" }) Assert.True(set.Contains(EngineHarness.V4(inside)), inside);
        foreach (var outside in new[] { "9.255.255.255", "11.0.0.0", "192.0.2.6", "192.0.2.10", "0.0.0.0" }) Assert.False(set.Contains(EngineHarness.V4(outside)), outside);
        Assert.True(set.Contains(EngineHarness.V6("2001:db8::3")));
        Assert.False(set.Contains(EngineHarness.V6("2001:db8::4")));
        Assert.True(set.Contains(IPAddress.Parse("::ffff:10.2.3.4")));
        Assert.Equal("10.0.0.0/8", set.Matching(IPAddress.Parse("10.1.2.3")).ToString());
        Assert.False(RangeSet.Empty.Contains(0u));
    }
}
