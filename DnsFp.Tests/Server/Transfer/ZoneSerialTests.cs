using DnsFp.Server.Zones;

namespace DnsFp.Tests.Server.Transfer;

/// <summary>The serial's arithmetic: it grows with each term, and compares as RFC 1982 says across the wrap.</summary>
public sealed class ZoneSerialTests
{
    [Fact]
    public void Serial_grows_with_the_feed_and_the_day_and_wraps_as_rfc_1982_counts()
    {
        uint a = ZoneSerial.Compute(2026112701, 10, 20_000);
        Assert.Equal(2026112701u + 10 + 20_000, a);
        Assert.True(ZoneSerial.IsNewer(ZoneSerial.Compute(2026112701, 11, 20_000), a));
        Assert.True(ZoneSerial.IsNewer(ZoneSerial.Compute(2026112701, 10, 20_001), a));
        Assert.False(ZoneSerial.IsNewer(a, a));
        // past 2^32 the serial wraps, and is still newer
        uint wrapped = ZoneSerial.Compute(uint.MaxValue - 5, 10, 0);
        Assert.Equal(4u, wrapped);
        Assert.True(ZoneSerial.IsNewer(wrapped, uint.MaxValue - 5));
        Assert.False(ZoneSerial.IsNewer(uint.MaxValue - 5, wrapped));
    }
}
