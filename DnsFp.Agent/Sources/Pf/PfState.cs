using System.Net;

namespace DnsFp.Agent.Sources.Pf;

/// <summary>One state from "pfctl -vvss": protocol, direction, the remote peer, and (from the detail lines) the rule
/// that created it, with the anchor number when the rule is anchor-relative.</summary>
internal sealed record PfState(string Protocol, bool Inbound, IPAddress Remote, int LineNumber)
{
    public int? Rule { get; set; }
    public int? Anchor { get; set; }

    /// <summary>"id: ... creatorid: ..." from -vv: unique per state, so a poll can tell new states from old ones.</summary>
    public string? StateId { get; set; }
}
