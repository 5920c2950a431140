using System.Net;
using System.Text.RegularExpressions;

namespace DnsFp.Agent.Sources.Pf.StateFormats;

/// <summary>
/// The first line of a state, split into what every era has in common: optional interface, protocol, then a run of
/// hosts, "(host)"s, "(rdomain)"s and arrows, then "SRCSTATE:DSTSTATE". The era-specific formats read the run.
/// </summary>
internal sealed partial record PfStateLine(string? Interface, string Protocol, IReadOnlyList<PfStateLine.Part> Parts)
{
    public enum PartKind { Host, ParenthesisedHost, InboundArrow, OutboundArrow }

    public readonly record struct Part(PartKind Kind, IPAddress? Address);

    public static bool TryRead(string line, out PfStateLine state)
    {
        state = null!;
        var tokens = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (tokens.Length < 4 || !StatePair().IsMatch(tokens[^1])) return false;
        int first = Array.FindIndex(tokens, t => PfHost.TryParse(t, out _) || RDomain().IsMatch(t));
        if (first is < 1 or > 2) return false;                         // proto, or ifname + proto, before the first host
        string proto = tokens[first - 1];
        if (!ProtocolName().IsMatch(proto)) return false;
        var parts = new List<Part>();
        for (int i = first; i < tokens.Length - 1; i++)
        {
            string t = tokens[i];
            if (t == "<-") parts.Add(new Part(PartKind.InboundArrow, null));
            else if (t == "->") parts.Add(new Part(PartKind.OutboundArrow, null));
            else if (RDomain().IsMatch(t)) continue;                   // OpenBSD routing domain "(1)" before a host
            else if (t.Length > 2 && t[0] == '(' && t[^1] == ')' && PfHost.TryParse(t[1..^1], out var inner)) parts.Add(new Part(PartKind.ParenthesisedHost, inner));
            else if (PfHost.TryParse(t, out var host)) parts.Add(new Part(PartKind.Host, host));
            else return false;
        }
        state = new PfStateLine(first == 2 ? tokens[0] : null, proto, parts);
        return true;
    }

    [GeneratedRegex(@"^[A-Z0-9_]+:[A-Z0-9_]+$")]
    private static partial Regex StatePair();

    [GeneratedRegex(@"^\(\d+\)$")]
    private static partial Regex RDomain();

    [GeneratedRegex(@"^[a-z0-9][a-z0-9-]*$")]
    private static partial Regex ProtocolName();
}
