using DnsFp.Agent.Sources.Pf;
using DnsFp.Agent.Verdicts;
using DnsFp.Agent.Verdicts.Exim;
using DnsFp.Contract;

namespace DnsFp.Agent.Import;

/// <summary>
/// Turns the one-shot import's input files into facts: observations first (so verdicts in the same run count against
/// the labels just learned), then verdicts in file order. Pure: no Redis, so tests and --dry-run use it as is.
/// </summary>
internal sealed class ImportPlan
{
    public List<Fact> Facts { get; } = [];
    public List<LineProblems> Problems { get; } = [];
    public List<string> Summary { get; } = [];

    public int UnparseableLines => Problems.Sum(p => p.Count);

    public void AddPf(string statesPath, string rulesPath, long now)
    {
        var ruleProblems = new LineProblems(rulesPath);
        var stateProblems = new LineProblems(statesPath);
        var rules = PfRuleSet.Parse(File.ReadLines(rulesPath), ruleProblems);
        var states = PfStateReader.Read(File.ReadLines(statesPath), stateProblems);
        var joined = PfObservations.Join(states, rules);
        foreach (var (address, label) in joined.Observations)
            Facts.Add(Fact.Observation(Fact.MakeId("pf", address.ToString(), label), address, label, now));
        Problems.Add(ruleProblems); Problems.Add(stateProblems);
        string skipped = string.Join(", ", joined.NotObserved.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => $"{k.Value} {k.Key}"));
        Summary.Add($"pf: {rules.Count} filter rules ({rules.Rules.Count(r => r.Os is not null)} with os), {states.Count} states, " +
            $"{joined.Observations.Count} observations" + (skipped.Length > 0 ? $"; not observed: {skipped}" : ""));
    }

    public void AddEximLog(string path, long now)
    {
        var problems = new LineProblems(path);
        var occurrences = new Dictionary<string, int>(StringComparer.Ordinal);
        int lineNumber = 0, accepted = 0, rejected = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            var v = EximMainLogLine.Read(line);
            if (v.Meaning == LineMeaning.Unparseable) { problems.Add(lineNumber, v.Problem!, line); continue; }
            if (v.Meaning == LineMeaning.Unrelated) continue;
            // The id is the line itself (plus how often the same text came before), so importing a log twice counts it once.
            int n = occurrences[line] = occurrences.GetValueOrDefault(line) + 1;
            bool isAccepted = v.Meaning == LineMeaning.Accepted;
            Facts.Add(Fact.Verdict(Fact.MakeId("exim", line, n.ToString(System.Globalization.CultureInfo.InvariantCulture)), v.Client!, isAccepted, now));
            if (isAccepted) accepted++; else rejected++;
        }
        Problems.Add(problems);
        Summary.Add($"exim {path}: {lineNumber} lines, {accepted} accepted, {rejected} rejected verdicts");
    }
}
