using System.Net;

namespace DnsFp.Agent.Fingerprints.Packets;

/// <summary>
/// Tells a retransmitted SYN (same addresses, ports and sequence number as the last SYN of that connection) from a
/// new connection attempt, so each attempt is fingerprinted once, as p0f does (and pf, whose state absorbs the
/// retransmission). Remembers at most <see cref="Capacity"/> connections; past that it starts afresh, which at
/// worst reports one retransmission again.
/// </summary>
internal sealed class RetransmittedSyns
{
    public const int Capacity = 100_000;

    private readonly Dictionary<(IPAddress, int, IPAddress, int), uint> _lastSequence = [];

    /// <summary>True when this SYN repeats the last one seen for its connection.</summary>
    public bool IsRetransmission(TcpSyn syn)
    {
        var connection = (syn.Source, syn.SourcePort, syn.Destination, syn.DestinationPort);
        if (_lastSequence.TryGetValue(connection, out uint sequence) && sequence == syn.Sequence) return true;
        if (_lastSequence.Count >= Capacity) _lastSequence.Clear();
        _lastSequence[connection] = syn.Sequence;
        return false;
    }
}
