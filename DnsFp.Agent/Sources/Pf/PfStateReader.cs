using System.Globalization;
using System.Text.RegularExpressions;
using DnsFp.Agent.Import;
using DnsFp.Agent.Sources.Pf.StateFormats;

namespace DnsFp.Agent.Sources.Pf;

/// <summary>
/// Reads "pfctl -vvss" (or -vss / -ss) output: a state line, then indented detail lines; the "age ..." line carries
/// ", anchor N" and ", rule N". States without detail lines have no rule and give no observation.
/// </summary>
internal static partial class PfStateReader
{
    public static List<PfState> Read(IEnumerable<string> lines, LineProblems problems)
    {
        var states = new List<PfState>();
        PfState? current = null;
        int lineNumber = 0;
        foreach (var raw in lines)
        {
            lineNumber++;
            var line = raw.TrimEnd();
            if (line.Length == 0 || line.StartsWith('#') || PfRuleSet.IsPfctlNotice(line)) continue;
            if (char.IsWhiteSpace(line[0]))
            {
                if (current is null) { problems.Add(lineNumber, "detail line without a state line before it", line); continue; }
                ReadDetail(line, current);
                continue;
            }
            current = null;
            if (!PfStateLine.TryRead(line, out var stateLine)) { problems.Add(lineNumber, "not a pfctl state line in any known format", line); continue; }
            foreach (var format in PfStateFormats.All)
            {
                if (!format.TryRead(stateLine, out bool inbound, out var remote)) continue;
                current = new PfState(stateLine.Protocol, inbound, remote, lineNumber);
                break;
            }
            if (current is null) problems.Add(lineNumber, "hosts and arrows in no known order", line);
            else states.Add(current);
        }
        return states;
    }

    private static void ReadDetail(string line, PfState state)
    {
        var rule = RuleField().Match(line);
        if (rule.Success) state.Rule = int.Parse(rule.Groups[1].Value, CultureInfo.InvariantCulture);
        var anchor = AnchorField().Match(line);
        if (anchor.Success) state.Anchor = int.Parse(anchor.Groups[1].Value, CultureInfo.InvariantCulture);
        var id = IdField().Match(line);
        if (id.Success) state.StateId = id.Groups[1].Value + "/" + id.Groups[2].Value;
    }

    [GeneratedRegex(@"^\s+id: ([0-9a-f]+) creatorid: ([0-9a-f]+)")]
    private static partial Regex IdField();

    [GeneratedRegex(@", rule (\d+)")]
    private static partial Regex RuleField();

    [GeneratedRegex(@", anchor (\d+)")]
    private static partial Regex AnchorField();
}
