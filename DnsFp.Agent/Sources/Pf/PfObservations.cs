using System.Net;
using DnsFp.Contract;

namespace DnsFp.Agent.Sources.Pf;

/// <summary>
/// Joins states to rules, the article's way: an inbound TCP state created by a main-ruleset rule with os "X" means
/// the remote peer was fingerprinted as X. Outbound, non-TCP, anchor-relative and rule-less states, and rules without
/// an os, give no observation; each reason is counted so the operator can see where states went.
/// </summary>
internal static class PfObservations
{
    public sealed record Result(List<(IPAddress Address, string Label)> Observations, Dictionary<string, int> NotObserved);

    /// <summary>The states that give an observation, with their label (for the poller, which needs each state's key).</summary>
    public static IEnumerable<(PfState State, string Label)> Observed(IEnumerable<PfState> states, PfRuleSet rules)
    {
        foreach (var s in states)
            if (WhyNotObserved(s, rules, out string label) is null) yield return (s, label);
    }

    /// <summary>Null when the state is an observation (its label set), else why it is not.</summary>
    private static string? WhyNotObserved(PfState s, PfRuleSet rules, out string label)
    {
        label = "";
        if (!s.Inbound) return "outbound";
        if (s.Protocol != "tcp") return "not TCP";
        if (s.Rule is null) return "no rule number (use pfctl -vvss)";
        if (s.Anchor is not null) return "created by a rule inside an anchor";
        if (!rules.TryGet(s.Rule.Value, out var rule)) return "rule number not in the rules output";
        if (rule.Os is null) return "rule has no os";
        label = OsLabel.Normalize(rule.Os);
        return null;
    }

    public static Result Join(IEnumerable<PfState> states, PfRuleSet rules)
    {
        var seen = new HashSet<(IPAddress, string)>();
        var observations = new List<(IPAddress, string)>();
        var skipped = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var s in states)
        {
            if (WhyNotObserved(s, rules, out string label) is { } why) skipped[why] = skipped.GetValueOrDefault(why) + 1;
            else if (seen.Add((s.Remote, label))) observations.Add((s.Remote, label));
        }
        return new Result(observations, skipped);
    }
}
