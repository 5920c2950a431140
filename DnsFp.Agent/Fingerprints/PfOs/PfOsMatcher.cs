using System.Buffers.Binary;
using DnsFp.Agent.Fingerprints.Packets;

namespace DnsFp.Agent.Fingerprints.PfOs;

/// <summary>
/// OpenBSD pf's passive OS fingerprinting (sys/net/pf_osfp.c) over a loaded pf.os: the SYN's window, TTL, DF,
/// size and option layout against each signature in file order (each line, then its IPv6 twin); the first that
/// fits wins. A SYN with an option pf does not know (SACK blocks, TFO, MPTCP...) or a broken option list is
/// "unknown", as in pf.
/// </summary>
internal sealed class PfOsMatcher(string path, PfOsDatabase database) : ISignatureDatabase
{
    // The kernel's list order: each line, then the IPv6 twin pfctl adds right after it.
    private readonly (PfOsSignature Line, PfOsSignature Twin)[] _signatures = database.Signatures.Select(s => (s, s.AsIpv6())).ToArray();

    // pf accepts an initial TTL up to 40 above the observed one (PF_OSFP_MAXTTL_OFFSET).
    private const int MaxTtlDistance = 40;
    // "Smart" NAT boxes rewrite the MSS; pf also tries the window as a multiple of 1460 and of 1500.
    private const int SmartMss = 1460, MtuOverhead = 40;

    public string Kind => "pf.os";
    public string Path => path;
    public int SignatureCount => database.Signatures.Count;
    public IReadOnlyList<SignatureProblem> Problems => database.Problems;

    public SynFingerprint? Fingerprint(TcpSyn syn)
    {
        if ((syn.TcpFlags & (TcpSyn.Syn | TcpSyn.Ack)) != TcpSyn.Syn) return null;
        var match = Match(syn);
        return match is null
            ? new SynFingerprint(Kind, "unknown", SynFingerprint.NoMatch, false)
            : new SynFingerprint(Kind, match.Label, match.Generic ? "generic" : "exact", true);
    }

    public PfOsSignature? Match(TcpSyn syn)
    {
        if (!syn.HeaderComplete || Observe(syn) is not { } seen) return null;
        foreach (var (line, twin) in _signatures)
        {
            if (Fits(line, seen) || Fits(twin, seen)) return line;
        }
        return null;
    }

    /// <summary>What pf reads off a SYN (pf_osfp_fingerprint_hdr); null when its options stop pf from fingerprinting.</summary>
    internal sealed record Observed(int Window, int Ttl, bool DontFragment, int PacketSize, PfOsOption[] Options, int Mss, int WindowScale, bool TimestampZero);

    internal static Observed? Observe(TcpSyn syn)
    {
        var options = new List<PfOsOption>();
        int mss = 0, scale = 0;
        bool ts0 = false;
        ReadOnlySpan<byte> bytes = syn.Options;
        int at = 0, optionLength;
        for (int left = bytes.Length; left > 0; left -= optionLength, at += optionLength)
        {
            byte kind = bytes[at];
            if (kind == 0) break;                        // end of option list
            if (kind == 1) { options.Add(PfOsOption.Nop); optionLength = 1; continue; }
            if (left < 2) return null;
            optionLength = bytes[at + 1];
            if (optionLength > left || optionLength < 2) return null;
            switch (kind)
            {
                case 2:
                    // pf byte-swaps the MSS field even when the option is too short to carry one (it keeps the old value)
                    mss = optionLength >= 4 ? BinaryPrimitives.ReadUInt16BigEndian(bytes[(at + 2)..]) : BinaryPrimitives.ReverseEndianness((ushort)mss);
                    options.Add(PfOsOption.Mss);
                    break;
                case 3:
                    if (optionLength >= 3) scale = bytes[at + 2];
                    options.Add(PfOsOption.WindowScale);
                    break;
                case 4:
                    options.Add(PfOsOption.SackPermitted);
                    break;
                case 8:
                    if (optionLength >= 10 && BinaryPrimitives.ReadUInt32BigEndian(bytes[(at + 2)..]) == 0) ts0 = true;
                    options.Add(PfOsOption.Timestamp);
                    break;
                default:
                    return null;
            }
        }
        bool df = syn.IpVersion == 6 || syn.DontFragment;
        return new Observed(syn.Window, syn.Ttl, df, syn.IpTotalLength, [.. options], mss, scale, ts0);
    }

    private static bool Fits(PfOsSignature s, Observed seen)
    {
        if (!s.Options.AsSpan().SequenceEqual(seen.Options)) return false;
        if (s.Ttl < seen.Ttl || s.Ttl - seen.Ttl > MaxTtlDistance) return false;
        if (s.DontFragment != seen.DontFragment || s.TimestampZero != seen.TimestampZero) return false;
        if (!NumberFits(s.PacketSizeForm, s.PacketSize, seen.PacketSize)) return false;
        if (!NumberFits(s.MssForm, s.Mss, seen.Mss)) return false;
        if (!NumberFits(s.WindowScaleForm, s.WindowScale, seen.WindowScale)) return false;
        return s.WindowForm switch
        {
            PfOsValueForm.Any => true,
            PfOsValueForm.MssMultiple => seen.Mss != 0 && (IsMultiple(seen.Window, seen.Mss, s.Window) || IsMultiple(seen.Window, SmartMss, s.Window)),
            PfOsValueForm.MtuMultiple => seen.Mss != 0 && (IsMultiple(seen.Window, seen.Mss + MtuOverhead, s.Window) || IsMultiple(seen.Window, SmartMss + MtuOverhead, s.Window)),
            PfOsValueForm.Modulo => s.Window != 0 && seen.Window % s.Window == 0,
            _ => s.Window == seen.Window,
        };
    }

    private static bool NumberFits(PfOsValueForm form, int expected, int seen) => form switch
    {
        PfOsValueForm.Any => true,
        PfOsValueForm.Modulo => expected != 0 && seen % expected == 0,
        _ => expected == seen,
    };

    private static bool IsMultiple(int window, int unit, int factor) => window % unit == 0 && window / unit == factor;
}
