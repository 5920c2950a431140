using DnsFp.Server.Wire;
using DnsFp.Tests.Support;

namespace DnsFp.Tests.Server.Wire;

public sealed class ReversedNameTests
{
    private static ReversedName.Kind Read(string labels, out uint v4, out UInt128 v6)
    {
        var wire = QueryBuilder.EncodeName(labels);
        int count = labels.Split('.').Length;
        return ReversedName.Read(wire.AsSpan(0, wire.Length - 1), count, out v4, out v6);
    }

    [Theory]
    [InlineData("41.3.2.1", "1.2.3.41")]
    [InlineData("255.255.255.255", "255.255.255.255")]
    [InlineData("2.0.0.0.0.0.f.7.f.f.f.f.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0", "127.0.0.2")]   // ::ffff:7f00:2
    [InlineData("2.0.0.0.0.0.F.7.F.F.F.F.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0", "127.0.0.2")]   // 0x20 in nibbles
    public void IPv4_keys(string labels, string address)
    {
        Assert.Equal(ReversedName.Kind.IPv4, Read(labels, out uint v4, out _));
        Assert.Equal(address, new System.Net.IPAddress(System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(v4)).ToString());
    }

    /// <summary>Four single-digit labels are an IPv4 name and also the top four nibbles of IPv6 names (RFC 8020).</summary>
    [Theory]
    [InlineData("4.3.2.1", "1.2.3.4")]
    [InlineData("0.0.0.0", "0.0.0.0")]
    public void IPv4_keys_that_are_also_nibble_prefixes(string labels, string address)
    {
        Assert.Equal(ReversedName.Kind.IPv4AlsoNibblePrefix, Read(labels, out uint v4, out _));
        Assert.Equal(address, new System.Net.IPAddress(System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(v4)).ToString());
    }

    [Fact]
    public void IPv6_key()
    {
        Assert.Equal(ReversedName.Kind.IPv6, Read(QueryBuilder.Reverse("2001:db8::1"), out _, out UInt128 v6));
        Assert.Equal(EngineHarness.V6("2001:db8::1"), v6);
    }

    [Theory]
    [InlineData("127")]
    [InlineData("0.127")]
    [InlineData("2.0.0")]
    [InlineData("a.b.c.d.e")]                       // five nibbles
    [InlineData("1.1.1.1.1")]                       // five labels that are also nibbles: an IPv6 prefix
    [InlineData("0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0")]   // 31 nibbles
    public void Partial_keys(string labels) => Assert.Equal(ReversedName.Kind.Partial, Read(labels, out _, out _));

    [Theory]
    [InlineData("256.1.1.1")]
    [InlineData("01.1.1.1")]                        // leading zero: two names for one address otherwise
    [InlineData("10.1.1.1.1")]                      // five labels, not all nibbles
    [InlineData("x.1.1.1")]
    [InlineData("1.1.1.-1")]
    [InlineData("1234.1.1")]
    [InlineData("mail")]
    [InlineData("g.0.0")]
    [InlineData("0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0")] // 33 nibbles
    [InlineData("00.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0")] // a two-character nibble
    public void Malformed_keys(string labels) => Assert.Equal(ReversedName.Kind.Malformed, Read(labels, out _, out _));
}
