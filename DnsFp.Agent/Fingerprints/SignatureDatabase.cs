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

    /// <summary>Loads a file as p0f.fp when it has a "[tcp:request]" section, else as pf.os.</summary>
    public static ISignatureDatabase Load(string path)
    {
        var lines = File.ReadAllLines(path);
        if (lines.Any(l => l.Trim().StartsWith("[tcp:", StringComparison.Ordinal)))
            return new P0fMatcher(path, P0fDatabase.Parse(lines));
        return new PfOsMatcher(path, PfOsDatabase.Parse(lines));
    }
}
