using DnsFp.Agent.Fingerprints.Packets;
using DnsFp.Agent.Fingerprints.P0fFp;
using DnsFp.Agent.Fingerprints.PfOs;

namespace DnsFp.Agent.Fingerprints;

/// <summary>A loaded signature file and its matcher: pf.os or p0f.fp, told apart by their content.</summary>
internal interface ISignatureDatabase
{
    /// <summary>"pf.os" or "p0f.fp": the database column of the fingerprint output.</summary>
    string Kind { get; }
    string Path { get; }
    int SignatureCount { get; }
    IReadOnlyList<SignatureProblem> Problems { get; }

    /// <summary>The verdict on a SYN, or null when the reference tool would not fingerprint this packet at all
    /// (pf: SYN+ACK; p0f: SYN with FIN or RST, fragments, truncated datagrams, IPv6 extension headers).</summary>
    SynFingerprint? Fingerprint(TcpSyn syn);
}

internal static class SignatureDatabase
{
    /// <summary>Where Debian and the BSDs install the two databases, tried in this order when --db is not given.</summary>
    public static readonly string[] DefaultPaths = ["/etc/p0f/p0f.fp", "/etc/pf.os", "/usr/share/doc/nftables/examples/pf.os"];

    /// <summary>
    /// Loads a file as p0f.fp when it has a "[tcp:request]" section, else as pf.os. <paramref name="p0fCompatible"/>
    /// keeps p0f's exact behaviour; without it an IPv6 SYN whose only difference from a signature is the flow label
    /// (which every modern stack sets and no p0f.fp signature allows) is named as its IPv4 twin would be.
    /// </summary>
    public static ISignatureDatabase Load(string path, bool p0fCompatible = false)
    {
        var lines = File.ReadAllLines(path);
        if (lines.Any(l => l.Trim().StartsWith("[tcp:", StringComparison.Ordinal)))
            return new P0fMatcher(path, P0fDatabase.Parse(lines), p0fCompatible);
        return new PfOsMatcher(path, PfOsDatabase.Parse(lines));
    }

    /// <summary>Several files in order, first match wins (one file: that file).</summary>
    public static ISignatureDatabase Load(IReadOnlyList<string> paths, bool p0fCompatible = false) =>
        paths.Count == 1 ? Load(paths[0], p0fCompatible) : new LayeredSignatureDatabase([.. paths.Select(p => Load(p, p0fCompatible))]);
}
