using DnsFp.Agent.Sources.Pf;
using DnsFp.Agent.Verdicts.Exim;
using DnsFp.Agent.Verdicts.Postfix;
using DnsFp.Agent.Verdicts.Rspamd;
using DnsFp.Contract;

namespace DnsFp.Agent.Import;

/// <summary>
/// Turns the one-shot import's input files into facts: observations first (so verdicts in the same run count against
/// the labels just learned), then verdicts in file order. Streams: <see cref="ReadFacts"/> reads each file as it is
/// enumerated, so an import of any size holds one batch at a time, not the file (issue #13). <see cref="Summary"/> and
/// <see cref="Problems"/> are filled as each file is finished. Pure: no Redis, so tests and --dry-run use it as is.
/// </summary>
internal sealed class ImportPlan
{
    private readonly List<Func<IEnumerable<Fact>>> _inputs = [];

    public List<LineProblems> Problems { get; } = [];
    public List<string> Summary { get; } = [];

    public int UnparseableLines => Problems.Sum(p => p.Count);

    /// <summary>Facts read so far by <see cref="ReadFacts"/>.</summary>
    public long FactCount { get; private set; }

    /// <summary>Every input's facts, in order, read as enumerated (once).</summary>
    public IEnumerable<Fact> ReadFacts()
    {
        foreach (var input in _inputs)
        {
            foreach (var fact in input()) { FactCount++; yield return fact; }
        }
    }

    /// <summary>The facts as a list (tests and small inputs).</summary>
    public List<Fact> Facts => _facts ??= [.. ReadFacts()];
    private List<Fact>? _facts;

    public void AddPf(string statesPath, string rulesPath, long now) => _inputs.Add(() => Pf(statesPath, rulesPath, now));

    public void AddObservations(string path, long now) => _inputs.Add(() => Observations(path, now));

    public void AddEximLog(string path, long now) => _inputs.Add(() => MailLog(path, new EximVerdicts(EximVerdicts.Mode.MainLog), "exim", now));

    public void AddPostfixLog(string path, long now) => _inputs.Add(() => MailLog(path, new PostfixVerdicts(), "postfix", now));

    public void AddRspamdLog(string path, long now) => _inputs.Add(() => MailLog(path, new RspamdVerdicts(), "rspamd", now));

    private IEnumerable<Fact> Pf(string statesPath, string rulesPath, long now)
    {
        var ruleProblems = new LineProblems(rulesPath);
        var stateProblems = new LineProblems(statesPath);
        var rules = PfRuleSet.Parse(File.ReadLines(rulesPath), ruleProblems);
        var states = PfStateReader.Read(File.ReadLines(statesPath), stateProblems);
        var joined = PfObservations.Join(states, rules);
        foreach (var (address, label) in joined.Observations)
            yield return Fact.Observation(Fact.MakeId("pf", address.ToString(), label), address, label, now, ObservationSources.Pf);
        Problems.Add(ruleProblems); Problems.Add(stateProblems);
        string skipped = string.Join(", ", joined.NotObserved.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => $"{k.Value} {k.Key}"));
        Summary.Add($"pf: {rules.Count} filter rules ({rules.Rules.Count(r => r.Os is not null)} with os), {states.Count} states, " +
            $"{joined.Observations.Count} observations" + (skipped.Length > 0 ? $"; not observed: {skipped}" : ""));
    }

    /// <summary>
    /// A TSV of "address TAB label [TAB class [TAB seen]]" lines (IPv4 or IPv6), e.g. from another fingerprinting tool.
    /// "seen" is when the address was observed (Unix seconds or an ISO 8601 date/time, UTC unless it says otherwise);
    /// without it, the time of the import. An old "seen" gives an old last-seen day, so old data expires as it should.
    /// </summary>
    private IEnumerable<Fact> Observations(string path, long now)
    {
        var problems = new LineProblems(path);
        int lineNumber = 0, count = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (line.Length == 0 || line[0] == '#') continue;
            var fields = line.Split('\t');
            if (fields.Length is < 2 or > 4 || string.IsNullOrWhiteSpace(fields[1])) { problems.Add(lineNumber, "expected address TAB label [TAB class [TAB seen]]", line); continue; }
            if (!System.Net.IPAddress.TryParse(fields[0].Trim(), out var address)) { problems.Add(lineNumber, $"'{fields[0]}' is not an IP address", line); continue; }
            string? cls = fields.Length >= 3 && !string.IsNullOrWhiteSpace(fields[2]) ? fields[2] : null;
            long seen = now;
            if (fields.Length == 4 && !TryParseSeen(fields[3].Trim(), out seen)) { problems.Add(lineNumber, $"'{fields[3]}' is not a time (Unix seconds or ISO 8601, e.g. 2026-12-01T10:00:00Z)", line); continue; }
            count++;
            yield return Fact.Observation(Fact.MakeId("obs", address.ToString(), fields[1], cls ?? "", seen.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                address, fields[1], Math.Min(seen, now), ObservationSources.Import, cls);
        }
        Problems.Add(problems);
        Summary.Add($"observations {path}: {lineNumber} lines, {count} observations");
    }

    private static bool TryParseSeen(string text, out long unixSeconds)
    {
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        if (long.TryParse(text, System.Globalization.NumberStyles.None, inv, out unixSeconds)) return true;
        bool ok = DateTimeOffset.TryParse(text, inv, System.Globalization.DateTimeStyles.AssumeUniversal, out var at);
        unixSeconds = ok ? at.ToUnixTimeSeconds() : 0;
        return ok;
    }

    /// <summary>
    /// A mail log read once by the same reader the daemon follows it with, so both count the same lines the same way.
    /// Each line's id is its text plus how often the same text came before, so importing a log twice counts it once.
    /// Blank lines are skipped; the program's own continuation lines are skipped and counted.
    /// </summary>
    private IEnumerable<Fact> MailLog(string path, Following.ILogLineReader reader, string kind, long now)
    {
        var problems = new LineProblems(path);
        var occurrences = new Dictionary<string, int>(StringComparer.Ordinal);
        int lineNumber = 0, accepted = 0, rejected = 0;
        var facts = new List<Fact>();
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            int n = occurrences[line] = occurrences.GetValueOrDefault(line) + 1;
            facts.Clear();
            string? problem = reader.Read(new Following.FollowedLine(line, Fact.MakeId(kind, line, n.ToString(System.Globalization.CultureInfo.InvariantCulture))), now, facts);
            if (problem is not null) { problems.Add(lineNumber, problem, line); continue; }
            foreach (var f in facts)
            {
                if (f.Kind == FactKind.Accepted) accepted++; else if (f.Kind == FactKind.Rejected) rejected++;
                yield return f;
            }
        }
        Problems.Add(problems);
        string own = reader.Continuations > 0 ? $", {reader.Continuations} of {kind}'s own continuation lines skipped" : "";
        Summary.Add($"{kind} {path}: {lineNumber} lines, {accepted} accepted, {rejected} rejected verdicts{own}");
    }
}
