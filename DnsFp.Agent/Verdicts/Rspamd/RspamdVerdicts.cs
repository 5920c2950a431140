using DnsFp.Agent.Following;
using DnsFp.Contract;

namespace DnsFp.Agent.Verdicts.Rspamd;

/// <summary>rspamd's log as verdicts: one per scanned message with a client address, from its action (<see cref="RspamdLogLine.Meaning"/>).</summary>
internal sealed class RspamdVerdicts : ILogLineReader
{
    public string Name => "rspamd";

    public string? Read(FollowedLine line, long now, List<Fact> facts)
    {
        var v = RspamdLogLine.Read(line.Text);
        if (v.Meaning == LineMeaning.Unparseable) return v.Problem;
        if (v.Meaning is LineMeaning.Accepted or LineMeaning.Rejected) facts.Add(Fact.Verdict(line.Id, v.Client!, v.Meaning == LineMeaning.Accepted, now));
        return null;
    }

    public Dictionary<string, string>? SaveState() => null;

    public void LoadState(Dictionary<string, string>? state) { }
}
