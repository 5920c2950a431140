using DnsFp.Agent.Fingerprints.Packets;

namespace DnsFp.Agent.Fingerprints;

/// <summary>The SYNs of a capture file, with counts of what else it held, for "dnsfp-agent fingerprint --pcap".</summary>
internal sealed class SynFileReader
{
    public long Frames { get; private set; }
    public long Syns { get; private set; }
    public long Malformed { get; private set; }
    public long NotIp { get; private set; }

    /// <summary>Every frame's SYN (without ACK) in file order; throws <see cref="InvalidDataException"/> for a file it cannot read on.</summary>
    public IEnumerable<TcpSyn> Read(Stream stream)
    {
        foreach (var frame in PcapReader.Read(stream))
        {
            Frames++;
            if (!LinkLayer.IsSupported(frame.LinkType))
                throw new InvalidDataException($"packet {frame.Number}: link type {frame.LinkType} is not one dnsfp reads (Ethernet, loopback, raw IP, Linux cooked, PPP, pflog)");
            var datagram = LinkLayer.IpDatagram(frame.LinkType, frame.Data.Span);
            if (datagram.IsEmpty) { NotIp++; continue; }
            switch (TcpSynParser.Parse(datagram, out var syn))
            {
                case PacketKind.Syn when (syn!.TcpFlags & TcpSyn.Ack) == 0: Syns++; yield return syn; break;
                case PacketKind.Malformed: Malformed++; break;
            }
        }
    }
}
