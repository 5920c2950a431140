using System.Net;
using DnsFp.Server.Follower;

namespace DnsFp.Tests.Server.Follower;

public sealed class PackedChangesTests
{
    private static byte[] Packed(params (string Address, int Record)[] changes) =>
        [.. changes.SelectMany(c => (byte[])ChangeFeed.AddressChange(IPAddress.Parse(c.Address).GetAddressBytes(), c.Record).Value!)];

    [Fact]
    public void Reads_back_what_the_feed_packs_for_IPv4_and_IPv6()
    {
        var v4 = new List<(string, int)>();
        foreach (var change in new PackedChanges(Packed(("192.0.2.1", 0x01020304), ("198.51.100.7", 0)), 4))
            v4.Add((new IPAddress(change.Address).ToString(), change.Record));
        Assert.Equal([("192.0.2.1", 0x01020304), ("198.51.100.7", 0)], v4);

        var v6 = new List<(string, int)>();
        foreach (var change in new PackedChanges(Packed(("2001:db8::3", 77)), 16))
            v6.Add((new IPAddress(change.Address).ToString(), change.Record));
        Assert.Equal([("2001:db8::3", 77)], v6);
    }

    [Fact]
    public void A_trailing_partial_change_is_not_read()
    {
        byte[] packed = [.. Packed(("192.0.2.1", 5)), 10, 0, 0];
        var changes = new PackedChanges(packed, 4);
        Assert.Equal(1, changes.Count);
        int read = 0;
        foreach (var change in changes) { Assert.Equal(5, change.Record); read++; }
        Assert.Equal(1, read);
    }
}
