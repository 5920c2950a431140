using DnsFp.Agent.Fingerprints.Packets;

namespace DnsFp.Agent.Fingerprints;

/// <summary>
/// Several signature files tried in order, first match wins: a newer p0f-format database in front of Debian's p0f.fp,
/// then pf.os. A SYN none of them names gets the first file's "no match" verdict.
/// </summary>
internal sealed class LayeredSignatureDatabase(IReadOnlyList<ISignatureDatabase> layers) : ISignatureDatabase
{
    public string Kind => string.Join("+", layers.Select(l => l.Kind));
    public string Path => string.Join(", ", layers.Select(l => l.Path));
    public int SignatureCount => layers.Sum(l => l.SignatureCount);
    public IReadOnlyList<SignatureProblem> Problems => [.. layers.SelectMany(l => l.Problems)];

    public SynFingerprint? Fingerprint(TcpSyn syn)
    {
        SynFingerprint? first = null;
        foreach (var layer in layers)
        {
            var f = layer.Fingerprint(syn);
            if (f is { Matched: true }) return f;
            first ??= f;
        }
        return first;
    }
}
