using System.Net;
using DnsFp.Agent.Firewall;

namespace DnsFp.Tests.Agent.Firewall;

/// <summary>
/// The firewall feed's reading of transfers, on messages built here byte by byte: AXFR, IXFR differences over several
/// sequences and messages (a band change is a deletion and an addition), the one-SOA "current" answer, compression
/// pointers, and what is refused (a pointer loop, a cut message, an error rcode, an answer to another query).
/// </summary>
public sealed class TransferParserTests
{
    private const string Zone = "fp.example.org";
    private static readonly BandList High = BandList.Parse("127.0.0.18-127.0.0.19");

    [Fact]
    public void Axfr_keeps_the_listings_in_the_chosen_bands_and_skips_test_entries_and_other_names()
    {
        var p = new TransferParser(Zone, null, High);
        p.Read(Message(7, Soa(100), Ns(), A("10.2.0.192", 19), Txt("10.2.0.192"), A("60.113.0.203", 14), A("2.0.0.127", 2),
            A(string.Join('.', "20000000000000000000000000000000".ToCharArray()), 18), A("11.2.0.192", 18), Soa(100)), 7);
        Assert.True(p.Done);
        var t = p.Result;
        Assert.Equal((100u, ZoneTransfer.Form.Full), (t.Serial, t.Kind));
        Assert.Equal(["192.0.2.10", "192.0.2.11", "::2"], t.Listings.Keys.Select(a => a.ToString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Ixfr_differences_across_sequences_and_messages_apply_in_order()
    {
        var listed = new ListedAddresses();
        var first = new TransferParser(Zone, null, High);
        first.Read(Message(1, Soa(10), A("10.2.0.192", 19), A("11.2.0.192", 18), A("12.2.0.192", 17), Soa(10)), 1);
        listed.Apply(first.Result);
        Assert.Equal(2, listed.Count);

        // 10 → 11: .10 delisted, .12 rises to 19; 11 → 12 (next message): .11 falls from 18 to 15
        var p = new TransferParser(Zone, 10, High);
        p.Read(Message(2, Soa(12), Soa(10), A("10.2.0.192", 19), A("12.2.0.192", 17), Soa(11), A("12.2.0.192", 19)), 2);
        Assert.False(p.Done);
        p.Read(Message(2, Soa(11), A("11.2.0.192", 18), Soa(12), A("11.2.0.192", 15), Soa(12)), 2);
        Assert.True(p.Done);
        Assert.Equal(ZoneTransfer.Form.Incremental, p.Result.Kind);
        listed.Apply(p.Result);
        Assert.Equal(12u, listed.Serial);
        Assert.Equal(["192.0.2.12"], listed.Choose(10).Chosen.Select(a => a.ToString()));
    }

    [Fact]
    public void A_single_soa_of_our_serial_means_nothing_changed()
    {
        var p = new TransferParser(Zone, 42, High);
        p.Read(Message(3, Soa(42)), 3);
        Assert.True(p.Done);
        Assert.Equal(ZoneTransfer.Form.Current, p.Result.Kind);
    }

    [Fact]
    public void Compressed_owner_names_are_followed()
    {
        // owner "10.2.0.192" + pointer to the zone name inside the first SOA's owner (offset 12)
        var soa = Soa(5);
        var compressed = Concat([2, (byte)'1', (byte)'0', 1, (byte)'2', 1, (byte)'0', 3, (byte)'1', (byte)'9', (byte)'2', 0xC0, 12], [0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 127, 0, 0, 19]);
        var p = new TransferParser(Zone, null, High);
        p.Read(Message(4, soa, compressed, Soa(5)), 4);
        Assert.Equal(["192.0.2.10"], p.Result.Listings.Keys.Select(a => a.ToString()));
    }

    [Fact]
    public void Broken_or_foreign_messages_are_refused_with_a_reason()
    {
        var loop = Concat([0xC0, 12], [0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 127, 0, 0, 19]);   // points at itself
        Assert.Contains("does not point backwards", Assert.Throws<InvalidDataException>(() => new TransferParser(Zone, null, High).Read(Message(5, loop), 5)).Message);
        var cut = Message(5, Soa(1), A("10.2.0.192", 19));
        Assert.Contains("cut short", Assert.Throws<InvalidDataException>(() => new TransferParser(Zone, null, High).Read(cut.AsSpan(0, cut.Length - 3), 5)).Message);
        Assert.Contains("not the answer", Assert.Throws<InvalidDataException>(() => new TransferParser(Zone, null, High).Read(Message(6, Soa(1)), 5)).Message);
        var refused = Message(5, Soa(1));
        refused[3] |= 5;
        Assert.Contains("Transfer:Allow", Assert.Throws<TransferRefusedException>(() => new TransferParser(Zone, null, High).Read(refused, 5)).Message);
        Assert.Contains("does not start with its SOA", Assert.Throws<InvalidDataException>(() => new TransferParser(Zone, null, High).Read(Message(5, A("10.2.0.192", 19)), 5)).Message);
    }

    [Theory]
    [InlineData("127.0.0.19", 19, true)]
    [InlineData("127.0.0.19", 18, false)]
    [InlineData("127.0.0.17-127.0.0.19", 17, true)]
    [InlineData("127.0.0.10, 127.0.0.19", 19, true)]
    [InlineData("127.0.0.10, 127.0.0.19", 15, false)]
    public void Band_lists_read_as_the_mta_snippets_write_them(string text, int band, bool contained) =>
        Assert.Equal(contained, BandList.Parse(text).Contains(0x7F000000u + (uint)band));

    [Theory]
    [InlineData("10.0.0.19", "outside 127.0.0.0/8")]
    [InlineData("127.0.0.19-127.0.0.10", "goes backwards")]
    [InlineData("banana", "not an IPv4 address")]
    [InlineData("", "names no band")]
    public void Bad_band_lists_say_what_is_wrong(string text, string problem)
    {
        Assert.False(BandList.TryParse(text, out _, out string? why));
        Assert.Contains(problem, why);
    }

    [Fact]
    public void Over_the_maximum_the_highest_bands_are_kept()
    {
        var listed = new ListedAddresses();
        var p = new TransferParser(Zone, null, BandList.Parse("127.0.0.10-127.0.0.19"));
        p.Read(Message(1, Soa(1), A("1.2.0.192", 12), A("2.2.0.192", 19), A("3.2.0.192", 15), A("4.2.0.192", 19), Soa(1)), 1);
        listed.Apply(p.Result);
        var (chosen, leftOut) = listed.Choose(3);
        Assert.Equal(["192.0.2.2", "192.0.2.3", "192.0.2.4"], chosen.Select(a => a.ToString()));
        Assert.Equal(1, leftOut);
    }

    private static byte[] Message(ushort id, params byte[][] answers) =>
        Concat([[(byte)(id >> 8), (byte)id, 0x84, 0, 0, 0, (byte)(answers.Length >> 8), (byte)answers.Length, 0, 0, 0, 0], .. answers]);

    private static byte[] Name(string relative) =>
        [.. (relative.Length == 0 ? Zone : relative + "." + Zone).Split('.').SelectMany(l => new[] { (byte)l.Length }.Concat(l.Select(c => (byte)c))), 0];

    private static byte[] Record(string owner, ushort type, byte[] rdata) =>
        Concat(Name(owner), [(byte)(type >> 8), (byte)type, 0, 1, 0, 0, 0, 60, (byte)(rdata.Length >> 8), (byte)rdata.Length], rdata);

    private static byte[] Soa(uint serial) =>
        Record("", 6, Concat(Name("ns1"), Name("hostmaster"), [(byte)(serial >> 24), (byte)(serial >> 16), (byte)(serial >> 8), (byte)serial], new byte[16]));

    private static byte[] Ns() => Record("", 2, Name("ns1"));

    private static byte[] A(string owner, int band) => Record(owner, 1, [127, 0, 0, (byte)band]);

    private static byte[] Txt(string owner) => Record(owner, 16, [4, (byte)'t', (byte)'e', (byte)'s', (byte)'t']);

    private static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];
}
