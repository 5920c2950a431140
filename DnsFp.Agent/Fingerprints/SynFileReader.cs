using DnsFp.Agent.Fingerprints.Packets;

namespace DnsFp.Agent.Fingerprints;

/// <summary>The SYNs of a capture file, with counts of what else it held, for "dnsfp-agent fingerprint --pcap".</summary>
internal sealed class SynFileReader
{
    public long Frames { get; private set; }
    public long Syns { get; private set; }
    public long Malformed { get; private set; }
    public long NotIp { get; private set; }
    public long Retransmitted { get; private set; }

    private readonly RetransmittedSyns _retransmitted = new();

    // Link types dnsfp has no header reader for: the IP offset is guessed once, from the first frame that shows one, as p0f does.
    private readonly Dictionary<int, int> _guessedOffsets = [];

    private ReadOnlySpan<byte> Guessed(CapturedFrame frame)
    {
        var data = frame.Data.Span;
        if (!_guessedOffsets.TryGetValue(frame.LinkType, out int offset))
        {
            if (LinkLayer.GuessOffset(data) is not { } guess) return default;
            _guessedOffsets[frame.LinkType] = offset = guess;
            GuessedLinkTypes.Add($"link type {frame.LinkType}: IP at byte {offset}");
        }
        return data.Length > offset ? data[offset..] : default;
    }

    /// <summary>Link types whose IP offset was guessed, for the summary line.</summary>
    public List<string> GuessedLinkTypes { get; } = [];

    /// <summary>Every frame's SYN (without ACK) in file order, retransmissions left out; throws <see cref="InvalidDataException"/> for a file it cannot read on.</summary>
    public IEnumerable<TcpSyn> Read(Stream stream)
    {
        foreach (var frame in PcapReader.Read(stream))
        {
            Frames++;
            if (!LinkLayer.TryIpDatagram(frame.LinkType, frame.Data.Span, out var datagram)) datagram = Guessed(frame);
            if (datagram.IsEmpty) { NotIp++; continue; }
            switch (TcpSynParser.Parse(datagram, out var syn))
            {
                case PacketKind.Syn when (syn!.TcpFlags & TcpSyn.Ack) == 0:
                    if (_retransmitted.IsRetransmission(syn)) { Retransmitted++; break; }
                    Syns++;
                    yield return syn;
                    break;
                case PacketKind.Malformed: Malformed++; break;
            }
        }
    }
}
