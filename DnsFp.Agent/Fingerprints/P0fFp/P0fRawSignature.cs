using System.Globalization;
using DnsFp.Contract;

namespace DnsFp.Agent.Fingerprints.P0fFp;

/// <summary>
/// What p0f 3.09b prints as raw_sig for a SYN it observed (fp_tcp.c dump_sig): "ver:ttl+dist:olen:mss:wsize,scale:
/// olayout:quirks:pclass", so that <see cref="SynSignature.FromP0fRawSignature"/> gives the agent's own SYNs the same
/// signature key as the SYNs p0f reports.
/// </summary>
internal static class P0fRawSignature
{
    private static readonly (P0fQuirks Quirk, string Text)[] QuirkOrder =
    [
        (P0fQuirks.DontFragment, "df"), (P0fQuirks.NonZeroId, "id+"), (P0fQuirks.ZeroId, "id-"), (P0fQuirks.Ecn, "ecn"),
        (P0fQuirks.NonZeroMustBeZero, "0+"), (P0fQuirks.FlowLabel, "flow"), (P0fQuirks.ZeroSequence, "seq-"),
        (P0fQuirks.NonZeroAck, "ack+"), (P0fQuirks.ZeroAck, "ack-"), (P0fQuirks.NonZeroUrgent, "uptr+"), (P0fQuirks.Urgent, "urgf+"),
        (P0fQuirks.Push, "pushf+"), (P0fQuirks.ZeroTimestamp1, "ts1-"), (P0fQuirks.NonZeroTimestamp2, "ts2+"),
        (P0fQuirks.NonZeroEolPadding, "opt+"), (P0fQuirks.ExcessiveScale, "exws"), (P0fQuirks.BadOptions, "bad"),
    ];

    public static string Format(P0fObservation.Observed observed, int synMss = 0)
    {
        var s = observed.Signature;
        var inv = CultureInfo.InvariantCulture;
        int ittl = SynSignature.RoundTtl(s.Ttl);
        int multiple = P0fMatcher.WindowMultiple(s, observed.TotalHeaderLength, observed.Timestamp1, out bool useMtu, synMss);
        string window = multiple > 0 ? $"{(useMtu ? "mtu" : "mss")}*{multiple.ToString(inv)}" : s.Window.ToString(inv);
        var layout = s.OptionLayout.Select(kind => kind switch
        {
            0 => "eol+" + s.EolPadding.ToString(inv),
            1 => "nop",
            2 => "mss",
            3 => "ws",
            4 => "sok",
            5 => "sack",
            8 => "ts",
            _ => "?" + kind.ToString(inv),
        });
        var quirks = QuirkOrder.Where(q => s.Quirks.HasFlag(q.Quirk)).Select(q => q.Text);
        return string.Join(':',
            s.IpVersion.ToString(inv), $"{s.Ttl.ToString(inv)}+{(ittl - s.Ttl).ToString(inv)}", s.IpOptionsLength.ToString(inv),
            s.Mss > 0 ? s.Mss.ToString(inv) : "*", $"{window},{s.WindowScale.ToString(inv)}", string.Join(',', layout), string.Join(',', quirks),
            s.PayloadClass > 0 ? "+" : "0");
    }

    /// <summary>The signature key of a SYN, or null when p0f would not read it (fragments, cut captures, not a plain SYN).</summary>
    public static string? KeyOf(Packets.TcpSyn syn) =>
        P0fObservation.Observe(syn) is { } observed ? SynSignature.FromP0fRawSignature(Format(observed)) : null;

    /// <summary>The signature key of a SYN+ACK answering a SYN with MSS <paramref name="synMss"/> ("r4:64:..."), or null.</summary>
    public static string? KeyOfResponse(Packets.TcpSyn synAck, int synMss) =>
        P0fObservation.Observe(synAck, synAck: true) is { } observed && SynSignature.FromP0fRawSignature(Format(observed, synMss)) is { } key
            ? SynSignature.ResponsePrefix + key : null;
}
