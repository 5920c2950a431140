using DnsFp.Agent.Fingerprints.Packets;

namespace DnsFp.Agent.Fingerprints.P0fFp;

/// <summary>
/// p0f 3.09b's SYN matching (fp_tcp.c tcp_find_match) over the [tcp:request] signatures, in file order among those
/// with the same option layout: the first exact specific signature wins; else the first generic ("g:") one; else the
/// first fuzzy one (quirks differing only by df/id+ gone or id-/ecn added, or the TTL out of range), except for
/// userland tools.
/// </summary>
internal sealed class P0fMatcher(string path, P0fDatabase database, bool p0fCompatible = true) : ISignatureDatabase
{
    // Initial TTL at most this far above the observed one for a non-fuzzy match (p0f's MAX_DIST).
    private const int MaxDistance = 35;

    public string Kind => "p0f.fp";
    public string Path => path;
    public int SignatureCount => database.SynSignatures.Count;
    public IReadOnlyList<SignatureProblem> Problems => database.Problems;

    /// <summary>p0f's verdict; Signature is null for "???".</summary>
    internal readonly record struct Match(P0fTcpSignature? Signature, bool Fuzzy);

    public SynFingerprint? Fingerprint(TcpSyn syn)
    {
        if (P0fObservation.Observe(syn) is not { } seen) return null;
        var match = Find(database.SynSignatures, seen.Signature, duplicateCheck: false, seen.TotalHeaderLength, seen.Timestamp1);
        if (match.Signature is null && !p0fCompatible && seen.Signature.IpVersion == 6 && seen.Signature.Quirks.HasFlag(P0fQuirks.FlowLabel))
        {
            // p0f.fp's signatures predate stacks that set the IPv6 flow label: match as if it were not set
            var withoutFlow = seen.Signature with { Quirks = seen.Signature.Quirks & ~P0fQuirks.FlowLabel };
            match = Find(database.SynSignatures, withoutFlow, duplicateCheck: false, seen.TotalHeaderLength, seen.Timestamp1);
        }
        return Verdict(match);
    }

    /// <summary>
    /// p0f's verdict on a SYN+ACK, against the [tcp:response] signatures; <paramref name="synMss"/> is the MSS of the
    /// SYN it answers (p0f's syn_mss: some stacks size the window by the peer's MSS). Null when p0f would not read it.
    /// </summary>
    public SynFingerprint? FingerprintResponse(TcpSyn synAck, int synMss)
    {
        if (P0fObservation.Observe(synAck, synAck: true) is not { } seen) return null;
        return Verdict(Find(database.ResponseSignatures, seen.Signature, duplicateCheck: false, seen.TotalHeaderLength, seen.Timestamp1, synMss));
    }

    private SynFingerprint Verdict(Match match)
    {
        if (match.Signature?.Label is not { } label) return new SynFingerprint(Kind, "???", SynFingerprint.NoMatch, false);
        var quality = (label.Generic, match.Fuzzy) switch
        {
            (true, true) => "generic fuzzy",
            (true, false) => "generic",
            (false, true) => "fuzzy",
            _ => "exact",
        };
        return new SynFingerprint(Kind, label.Text, quality, true);
    }

    /// <summary>
    /// tcp_find_match. With <paramref name="duplicateCheck"/>, <paramref name="seen"/> is itself a signature from the
    /// file (wildcards and window forms compared as written) and only an earlier exact specific match counts.
    /// </summary>
    internal static Match Find(IReadOnlyList<P0fTcpSignature> signatures, P0fTcpSignature seen, bool duplicateCheck,
        int totalHeaderLength = 0, uint timestamp1 = 0, int synMss = 0)
    {
        int windowMultiple = WindowMultiple(seen, totalHeaderLength, timestamp1, out bool useMtu, synMss);
        P0fTcpSignature? fuzzyMatch = null, genericMatch = null;
        foreach (var reference in signatures)
        {
            if (!reference.OptionLayout.AsSpan().SequenceEqual(seen.OptionLayout)) continue;
            bool fuzzy = false;
            var referenceQuirks = reference.Quirks;
            // A "*" signature drops the quirks that only exist for the other IP version.
            if (reference.IpVersion == -1)
                referenceQuirks &= seen.IpVersion == 4 ? ~P0fQuirks.FlowLabel : ~(P0fQuirks.DontFragment | P0fQuirks.NonZeroId | P0fQuirks.ZeroId);
            if (referenceQuirks != seen.Quirks)
            {
                var deleted = (referenceQuirks ^ seen.Quirks) & referenceQuirks;
                var added = (referenceQuirks ^ seen.Quirks) & seen.Quirks;
                if (fuzzyMatch is not null || (deleted & ~(P0fQuirks.DontFragment | P0fQuirks.NonZeroId)) != 0 ||
                    (added & ~(P0fQuirks.ZeroId | P0fQuirks.Ecn)) != 0) continue;
                fuzzy = true;
            }
            if (reference.EolPadding != seen.EolPadding || reference.IpOptionsLength != seen.IpOptionsLength) continue;
            if (reference.RandomTtl) { if (reference.Ttl < seen.Ttl) continue; }
            else if (reference.Ttl < seen.Ttl || reference.Ttl - seen.Ttl > MaxDistance) fuzzy = true;
            if (reference.Mss != -1 && reference.Mss != seen.Mss) continue;
            if (reference.WindowScale != -1 && reference.WindowScale != seen.WindowScale) continue;
            if (reference.PayloadClass != -1 && reference.PayloadClass != seen.PayloadClass) continue;
            if (seen.WindowForm != P0fWindowForm.Normal)
            {
                if (reference.WindowForm != seen.WindowForm || reference.Window != seen.Window) continue;
            }
            else
            {
                bool windowFits = reference.WindowForm switch
                {
                    P0fWindowForm.Normal => reference.Window == seen.Window,
                    P0fWindowForm.Modulo => seen.Window % reference.Window == 0,
                    P0fWindowForm.MssMultiple => !useMtu && reference.Window == windowMultiple,
                    P0fWindowForm.MtuMultiple => useMtu && reference.Window == windowMultiple,
                    _ => true,
                };
                if (!windowFits) continue;
            }
            if (!fuzzy)
            {
                if (reference.Label?.Generic != true) return new Match(reference, false);
                genericMatch ??= reference;
            }
            else fuzzyMatch ??= reference;
        }
        if (duplicateCheck) return new Match(null, false);
        if (genericMatch is not null) return new Match(genericMatch, false);
        if (fuzzyMatch?.Label is { Userland: true }) return new Match(null, false);   // no fuzzy matching for userland tools
        return new Match(fuzzyMatch, fuzzyMatch is not null);
    }

    // detect_win_multi: is the window a multiple of the MSS (or of the MSS as some stacks miscompute it), or of the MTU,
    // or (a SYN+ACK) of the MSS of the SYN it answers?
    internal static int WindowMultiple(P0fTcpSignature seen, int totalHeaderLength, uint timestamp1, out bool useMtu, int synMss = 0)
    {
        useMtu = false;
        int window = seen.Window, mss = seen.Mss;
        if (window == 0 || mss < 100 || seen.WindowForm != P0fWindowForm.Normal) return -1;
        var candidates = new List<(int Divisor, bool Mtu)> { (mss, false) };
        if (timestamp1 != 0) candidates.Add((mss - 12, false));
        candidates.Add((1500 - 40, false));
        candidates.Add((1500 - 40 - 12, false));
        if (seen.IpVersion == 6) { candidates.Add((1500 - 60, false)); candidates.Add((1500 - 60 - 12, false)); }
        candidates.Add((mss + 40, true));
        candidates.Add((mss + totalHeaderLength, true));
        if (seen.IpVersion == 6) candidates.Add((mss + 60, true));
        candidates.Add((1500, true));
        if (synMss != 0) { candidates.Add((synMss, false)); candidates.Add((synMss - 12, false)); }
        foreach (var (divisor, mtu) in candidates)
        {
            if (divisor != 0 && window % divisor == 0) { useMtu = mtu; return window / divisor; }
        }
        return -1;
    }
}
