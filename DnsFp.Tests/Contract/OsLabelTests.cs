using DnsFp.Contract;

namespace DnsFp.Tests.Contract;

public sealed class OsLabelTests
{
    [Theory]
    [InlineData("Windows 2000 RFC1323", "Windows 2000 RFC1323", "Windows")]
    [InlineData("  Linux   2.6 ", "Linux 2.6", "Linux")]
    [InlineData("unknown", "Unknown", "Unknown")]
    [InlineData("UNKNOWN", "Unknown", "Unknown")]
    [InlineData("", "Unknown", "Unknown")]
    [InlineData("Mac\u00a0OS X", "Mac OS X", "Mac")]
    [InlineData("AIX\u0007", "AIX?", "AIX?")]
    public void Labels_are_normalized_and_classed(string raw, string label, string cls)
    {
        Assert.Equal(label, OsLabel.Normalize(raw));
        Assert.Equal(cls, OsLabel.ClassOf(OsLabel.Normalize(raw)));
    }

    [Fact]
    public void Facts_round_trip_through_a_stream_entry()
    {
        var fact = Fact.Observation("id1", System.Net.IPAddress.Parse("::ffff:192.0.2.1"), "Linux 2.6", 1700000000, ObservationSources.P0f);
        Assert.Equal("192.0.2.1", fact.Address.ToString());                   // mapped addresses are stored as IPv4
        var back = Fact.FromStreamEntry(fact.ToStreamEntry("mx1"), out var problem);
        Assert.Null(problem);
        Assert.Equal(fact with { Host = "mx1" }, back);
        Assert.Null(Fact.FromStreamEntry([new("k", "x")], out problem));
        Assert.NotNull(problem);
    }
}
