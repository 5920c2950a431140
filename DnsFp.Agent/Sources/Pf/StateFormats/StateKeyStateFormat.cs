using System.Net;

namespace DnsFp.Agent.Sources.Pf.StateFormats;

/// <summary>
/// OpenBSD ≥ 4.5, FreeBSD ≥ 9 (to 14/15), pfSense, OPNsense: "all tcp LOCAL [(LOCAL-ORIG)] &lt;- REMOTE [(REMOTE-WIRE)]".
/// One arrow; a parenthesised host after a host is the other state key's address where NAT or rdr changed it. For
/// an inbound state the remote peer is the host after the arrow, and its parenthesised form, when present, is the
/// address as it was on the wire: the real client. Real samples: reference/pfctl/02, 04, 07; template: 08 §A3.
/// </summary>
internal sealed class StateKeyStateFormat : IPfStateFormat
{
    public string Name => "state-key (OpenBSD >= 4.5, FreeBSD >= 9)";

    public bool TryRead(PfStateLine line, out bool inbound, out IPAddress remote)
    {
        inbound = false; remote = IPAddress.None;
        var p = line.Parts;
        int arrow = -1;
        for (int i = 0; i < p.Count; i++)
        {
            if (p[i].Kind is PfStateLine.PartKind.InboundArrow or PfStateLine.PartKind.OutboundArrow)
            {
                if (arrow >= 0) return false;                          // two arrows: the older era
                arrow = i;
            }
        }
        if (arrow is not (1 or 2) || p[0].Kind != PfStateLine.PartKind.Host) return false;
        if (arrow == 2 && p[1].Kind != PfStateLine.PartKind.ParenthesisedHost) return false;
        int after = p.Count - arrow - 1;
        if (after is not (1 or 2) || p[arrow + 1].Kind != PfStateLine.PartKind.Host) return false;
        if (after == 2 && p[arrow + 2].Kind != PfStateLine.PartKind.ParenthesisedHost) return false;
        inbound = p[arrow].Kind == PfStateLine.PartKind.InboundArrow;
        remote = p[^1].Address!;                                       // the wire address when NAT rewrote it
        return true;
    }
}
