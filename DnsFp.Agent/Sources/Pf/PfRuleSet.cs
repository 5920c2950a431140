using System.Globalization;
using System.Text.RegularExpressions;
using DnsFp.Agent.Import;

namespace DnsFp.Agent.Sources.Pf;

/// <summary>
/// The main filter ruleset read from "pfctl -vvsr" (numbers from "@N", or "@N(tracker)" on pfSense) or from
/// "pfctl -sr"/"-vsr" (numbered in order). FreeBSD numbers scrub, filter and translation rules separately, so
/// scrub and nat/rdr/binat lines are kept out of the filter numbering; rules inside an inline anchor "{ ... }" are
/// anchor-relative and not part of it either. Real samples: ../shared/reference/pfctl/01, 03, 04, 05.
/// </summary>
internal sealed partial class PfRuleSet
{
    private readonly Dictionary<int, PfRule> _rules = [];

    public int Count => _rules.Count;

    public IEnumerable<PfRule> Rules => _rules.Values;

    public bool TryGet(int number, out PfRule rule) => _rules.TryGetValue(number, out rule!);

    public static PfRuleSet Parse(IEnumerable<string> lines, LineProblems problems)
    {
        var set = new PfRuleSet();
        int lineNumber = 0, nextFilter = 0, anchorDepth = 0;
        bool inTranslationSection = false;
        foreach (var raw in lines)
        {
            lineNumber++;
            var line = raw.TrimEnd();
            var trimmed = line.TrimStart();
            if (trimmed.Length == 0 || trimmed.StartsWith('#') || trimmed.StartsWith('[') || IsPfctlNotice(trimmed)) continue;
            if (trimmed == "TRANSLATION RULES:") { inTranslationSection = true; continue; }
            if (trimmed == "FILTER RULES:") { inTranslationSection = false; continue; }
            if (trimmed == "}") { if (anchorDepth > 0) anchorDepth--; continue; }

            var m = RuleLine().Match(trimmed);
            if (!m.Success)
            {
                problems.Add(lineNumber, "not a pfctl rule line", line);
                continue;
            }
            string action = m.Groups["action"].Value;
            bool opensAnchor = trimmed.EndsWith('{');
            if (anchorDepth > 0) { if (opensAnchor) anchorDepth++; continue; }
            if (opensAnchor) anchorDepth++;
            if (inTranslationSection || action is "scrub" or "nat" or "rdr" or "binat" or "nat-anchor" or "rdr-anchor" or "binat-anchor" or "no") continue;

            int number = m.Groups["n"].Success ? int.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture) : nextFilter;
            nextFilter = number + 1;
            var os = OsOption().Match(trimmed);
            set._rules[number] = new PfRule(number, trimmed, os.Success ? os.Groups[1].Value : null);
        }
        return set;
    }

    internal static bool IsPfctlNotice(string line) =>
        line.StartsWith("No ALTQ support", StringComparison.Ordinal) || line.StartsWith("ALTQ related functions", StringComparison.Ordinal);

    [GeneratedRegex(@"^(?:@(?<n>\d+)(?:\(\d+\))?\s+)?(?<action>pass|block|match|anchor|load|scrub|nat|rdr|binat|nat-anchor|rdr-anchor|binat-anchor|no|antispoof)\b")]
    private static partial Regex RuleLine();

    [GeneratedRegex(@"\sos\s+""([^""]*)""")]
    private static partial Regex OsOption();
}
