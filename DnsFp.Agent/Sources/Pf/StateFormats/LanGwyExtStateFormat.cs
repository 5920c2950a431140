using System.Net;

namespace DnsFp.Agent.Sources.Pf.StateFormats;

/// <summary>
/// OpenBSD 3.5–4.4, FreeBSD 5.3–8.x, macOS (the article ran FreeBSD 5.4): "self tcp LAN &lt;- GWY &lt;- EXT" or, when
/// LAN and GWY are the same, "self tcp GWY &lt;- EXT". Both arrows point the same way; EXT, the last host, is the
/// remote peer. OpenBSD ≤ 3.4 printed no interface. Rendered from pf_print_state.c v1.40: reference/pfctl/08 §A2.
/// </summary>
internal sealed class LanGwyExtStateFormat : IPfStateFormat
{
    public string Name => "lan/gwy/ext (OpenBSD < 4.5, FreeBSD < 9)";

    public bool TryRead(PfStateLine line, out bool inbound, out IPAddress remote)
    {
        inbound = false; remote = IPAddress.None;
        var p = line.Parts;
        bool two = p.Count == 3 && p[0].Kind == PfStateLine.PartKind.Host && IsArrow(p[1]) && p[2].Kind == PfStateLine.PartKind.Host;
        bool three = p.Count == 5 && p[0].Kind == PfStateLine.PartKind.Host && IsArrow(p[1]) && p[2].Kind == PfStateLine.PartKind.Host
            && p[3].Kind == p[1].Kind && p[4].Kind == PfStateLine.PartKind.Host;
        if (!two && !three) return false;
        inbound = p[1].Kind == PfStateLine.PartKind.InboundArrow;
        remote = p[^1].Address!;
        return true;
    }

    private static bool IsArrow(PfStateLine.Part part) => part.Kind is PfStateLine.PartKind.InboundArrow or PfStateLine.PartKind.OutboundArrow;
}
