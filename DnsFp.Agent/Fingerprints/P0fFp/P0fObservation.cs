using System.Buffers.Binary;
using DnsFp.Agent.Fingerprints.Packets;

namespace DnsFp.Agent.Fingerprints.P0fFp;

/// <summary>
/// What p0f 3.09b reads off a SYN or a SYN+ACK (process.c parse_packet): the signature fields, the quirks, and the two
/// things the window-multiple guess needs (total header length, first timestamp). Null when p0f drops the packet.
/// </summary>
internal static class P0fObservation
{
    private const int MaxTcpOptions = P0fSignatureText.MaxOptions;

    internal sealed record Observed(P0fTcpSignature Signature, int TotalHeaderLength, uint Timestamp1);

    public static Observed? Observe(TcpSyn syn, bool synAck = false)
    {
        // p0f needs the whole datagram, no fragments, TCP straight after the IP header, and a plain SYN (or SYN+ACK).
        if (syn.CapturedLength < syn.IpTotalLength || syn.ViaExtensionHeaders) return null;
        if (syn.IpVersion == 4 && (syn.IpTotalLength < 40 || syn.MoreFragments || syn.FragmentOffset != 0)) return null;
        if (syn.IpVersion == 6 && syn.IpTotalLength < 60) return null;
        if ((syn.TcpFlags & (TcpSyn.Syn | TcpSyn.Ack | TcpSyn.Fin | TcpSyn.Rst)) != (synAck ? TcpSyn.Syn | TcpSyn.Ack : TcpSyn.Syn)) return null;

        var quirks = P0fQuirks.None;
        if (syn.IpVersion == 4)
        {
            if ((syn.TrafficClass & 0x03) != 0) quirks |= P0fQuirks.Ecn;
            if ((syn.Ipv4FlagsAndOffset & 0x8000) != 0) quirks |= P0fQuirks.NonZeroMustBeZero;
            if (syn.DontFragment) quirks |= P0fQuirks.DontFragment | (syn.Ipv4Id != 0 ? P0fQuirks.NonZeroId : 0);
            else if (syn.Ipv4Id == 0) quirks |= P0fQuirks.ZeroId;
        }
        else
        {
            if (syn.FlowLabel != 0) quirks |= P0fQuirks.FlowLabel;
            if ((syn.TrafficClass & 0x03) != 0) quirks |= P0fQuirks.Ecn;
        }
        if ((syn.TcpFlags & (TcpSyn.Ece | TcpSyn.Cwr)) != 0 || (syn.TcpReservedBits & 0x01) != 0) quirks |= P0fQuirks.Ecn;
        if (syn.Sequence == 0) quirks |= P0fQuirks.ZeroSequence;
        // p0f tests "RD32(ack) & 1" on the raw little-endian load: the low bit of the first byte on the wire, not "ack != 0".
        if (synAck) { if (syn.Acknowledgment == 0) quirks |= P0fQuirks.ZeroAck; }
        else if (((syn.Acknowledgment >> 24) & 1) != 0) quirks |= P0fQuirks.NonZeroAck;
        if ((syn.TcpFlags & TcpSyn.Urg) != 0) quirks |= P0fQuirks.Urgent;
        else if (syn.UrgentPointer != 0) quirks |= P0fQuirks.NonZeroUrgent;
        if ((syn.TcpFlags & TcpSyn.Push) != 0) quirks |= P0fQuirks.Push;

        var layout = new List<byte>();
        int mss = 0, scale = 0, eolPadding = 0;
        uint ts1 = 0;
        ReadOnlySpan<byte> o = syn.Options;
        int at = 0, end = o.Length;
        bool aborted = false;
        while (at < end && layout.Count < MaxTcpOptions)
        {
            byte kind = o[at++];
            layout.Add(kind);
            switch (kind)
            {
                case 0:
                    eolPadding = end - at;
                    // As p0f: stop at the first non-zero byte, one past it (so a non-zero last byte goes unnoticed).
                    while (at < end) { if (o[at++] != 0) break; }
                    if (at != end) { quirks |= P0fQuirks.NonZeroEolPadding; at = end; }
                    break;
                case 1:
                    break;
                case 2:
                    if (at + 3 > end) { aborted = true; break; }
                    if (o[at] != 4) quirks |= P0fQuirks.BadOptions;
                    mss = BinaryPrimitives.ReadUInt16BigEndian(o[(at + 1)..]);
                    at += 3;
                    break;
                case 3:
                    if (at + 2 > end) { aborted = true; break; }
                    if (o[at] != 3) quirks |= P0fQuirks.BadOptions;
                    scale = o[at + 1];
                    if (scale > 14) quirks |= P0fQuirks.ExcessiveScale;
                    at += 2;
                    break;
                case 4:
                    if (at + 1 > end) { aborted = true; break; }
                    if (o[at] != 2) quirks |= P0fQuirks.BadOptions;
                    at++;
                    break;
                case 8:
                    if (at + 9 > end) { aborted = true; break; }
                    if (o[at] != 10) quirks |= P0fQuirks.BadOptions;
                    ts1 = BinaryPrimitives.ReadUInt32BigEndian(o[(at + 1)..]);
                    if (ts1 == 0) quirks |= P0fQuirks.ZeroTimestamp1;
                    // a SYN+ACK echoes the peer's timestamp: only a SYN's second one is a quirk
                    if (!synAck && BinaryPrimitives.ReadUInt32BigEndian(o[(at + 5)..]) != 0) quirks |= P0fQuirks.NonZeroTimestamp2;
                    at += 9;
                    break;
                default:
                    // SACK (5) must be 10-34 bytes long, any other option 2-40; an implausible length ends parsing.
                    if (at == end || (kind == 5 ? o[at] is < 10 or > 34 : o[at] is < 2 or > 40) || at - 1 + o[at] > end) { aborted = true; break; }
                    at += o[at] - 1;
                    break;
            }
            if (aborted) break;
        }
        if (aborted || at != end) quirks |= P0fQuirks.BadOptions;

        var signature = new P0fTcpSignature
        {
            IpVersion = syn.IpVersion,
            Ttl = syn.Ttl,
            IpOptionsLength = syn.IpVersion == 4 ? syn.IpHeaderLength - 20 : 0,
            Mss = mss,
            Window = syn.Window,
            WindowForm = P0fWindowForm.Normal,
            WindowScale = scale,
            OptionLayout = [.. layout],
            EolPadding = eolPadding,
            Quirks = quirks,
            PayloadClass = syn.PayloadLength > 0 ? 1 : 0,
        };
        return new Observed(signature, syn.IpHeaderLength + syn.TcpHeaderLength, ts1);
    }
}
