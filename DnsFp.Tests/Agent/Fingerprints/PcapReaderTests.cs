using System.Net;
using DnsFp.Agent.Fingerprints;
using DnsFp.Agent.Fingerprints.Packets;
using DnsFp.Tests.Support;

namespace DnsFp.Tests.Agent.Fingerprints;

/// <summary>Capture files in the formats and link types mail hosts produce, and files that are not captures.</summary>
public sealed class PcapReaderTests
{
    private static readonly SynBuilder V4 = new() { Source = IPAddress.Parse("192.0.2.7"), SourcePort = 4242 };
    private static readonly SynBuilder V6 = new() { Source = IPAddress.Parse("2001:db8::7"), Destination = IPAddress.Parse("2001:db8::25"), SourcePort = 4343 };

    private static List<TcpSyn> Read(byte[] file, SynFileReader? reader = null) => [.. (reader ?? new SynFileReader()).Read(new MemoryStream(file))];

    [Theory]
    [InlineData(PcapWriter.Ethernet)]
    [InlineData(PcapWriter.Null)]
    [InlineData(PcapWriter.Raw)]
    [InlineData(PcapWriter.LinuxCooked)]
    [InlineData(PcapWriter.LinuxCooked2)]
    public void Every_link_type_yields_both_syns(int linkType)
    {
        var frames = new[] { V4, V6 }.Select(s => PcapWriter.Frame(linkType, s.Build())).ToList();
        foreach (var file in new[] { PcapWriter.Classic(linkType, frames), PcapWriter.Ng(linkType, frames), PcapWriter.Classic(linkType, frames, nanoseconds: true), PcapWriter.Classic(linkType, frames, bigEndian: true) })
        {
            var syns = Read(file);
            Assert.Equal(["192.0.2.7/4242", "2001:db8::7/4343"], syns.Select(s => $"{s.Source}/{s.SourcePort}"));
        }
    }

    [Fact]
    public void Vlan_tagged_ethernet_and_non_syn_packets()
    {
        var frames = new[]
        {
            PcapWriter.Frame(PcapWriter.Ethernet, V4.Build(), vlan: true),
            PcapWriter.Frame(PcapWriter.Ethernet, (V4 with { Flags = 0x10 }).Build()),          // plain ACK
            PcapWriter.Frame(PcapWriter.Ethernet, (V4 with { Flags = 0x12 }).Build()),          // SYN+ACK: not an inbound SYN
            [.. new byte[12], 0x08, 0x06, .. new byte[28]],                                     // ARP
            PcapWriter.Frame(PcapWriter.Ethernet, V4.Build()[..30]),                            // cut inside TCP
        };
        var reader = new SynFileReader();
        var syns = Read(PcapWriter.Classic(PcapWriter.Ethernet, frames), reader);
        Assert.Single(syns);
        Assert.Equal((5L, 1L, 1L, 1L), (reader.Frames, reader.Syns, reader.NotIp, reader.Malformed));
    }

    [Fact]
    public void Files_that_are_not_captures_say_so()
    {
        var notPcap = Assert.Throws<InvalidDataException>(() => Read("hello, this is not a capture"u8.ToArray()));
        Assert.Contains("not a pcap or pcapng file", notPcap.Message);
        var whole = PcapWriter.Classic(PcapWriter.Raw, [V4.Build(), V4.Build()]);
        var cut = Assert.Throws<InvalidDataException>(() => Read(whole[..^10]));
        Assert.Contains("packet 2: the file ends inside the packet", cut.Message);
    }

    [Fact]
    public void Unknown_link_types_get_their_ip_offset_guessed_as_p0f_does()
    {
        var reader = new SynFileReader();
        var syns = Read(PcapWriter.Classic(147, [[0xAA, 0xBB, 0xCC, 0xDD, 0xEE, 0xFF, .. V4.Build()], [0, 0, 0, 0, 0, 0, .. V6.Build()]]), reader);
        Assert.Equal(["192.0.2.7", "2001:db8::7"], syns.Select(s => s.Source.ToString()));
        Assert.Equal(["link type 147: IP at byte 6"], reader.GuessedLinkTypes);
    }
}
