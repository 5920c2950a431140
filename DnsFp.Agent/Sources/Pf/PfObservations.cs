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
        {
            if (s.Inbound && s.Protocol == "tcp" && s.Rule is int n && s.Anchor is null && rules.TryGet(n, out var rule) && rule.Os is not null)
                yield return (s, OsLabel.Normalize(rule.Os));
        }
    }

    public static Result Join(IEnumerable<PfState> states, PfRuleSet rules)
    {
        var seen = new HashSet<(IPAddress, string)>();
        var observations = new List<(IPAddress, string)>();
        var skipped = new Dictionary<string, int>(StringComparer.Ordinal);
        void Skip(string why) => skipped[why] = skipped.GetValueOrDefault(why) + 1;

        foreach (var s in states)
        {
            if (!s.Inbound) { Skip("outbound"); continue; }
            if (s.Protocol != "tcp") { Skip("not TCP"); continue; }
            if (s.Rule is null) { Skip("no rule number (use pfctl -vvss)"); continue; }
            if (s.Anchor is not null) { Skip("created by a rule inside an anchor"); continue; }
            if (!rules.TryGet(s.Rule.Value, out var rule)) { Skip("rule number not in the rules output"); continue; }
            if (rule.Os is null) { Skip("rule has no os"); continue; }
            var label = OsLabel.Normalize(rule.Os);
            if (seen.Add((s.Remote, label))) observations.Add((s.Remote, label));
        }
        return new Result(observations, skipped);
    }
}
