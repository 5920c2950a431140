using DnsFp.Agent.Following;
using DnsFp.Contract;

namespace DnsFp.Agent.Verdicts.Exim;

/// <summary>
/// Exim log lines as verdicts. Exim writes every ACL rejection to both the mainlog and the rejectlog, so when both
/// are followed the rejections are taken from the rejectlog only and the mainlog gives the arrivals: each message is
/// counted once. Exim's own lines without a timestamp (continuations; the rejectlog's header dumps, which belong to
/// the rejection above them) are skipped and counted.
/// </summary>
internal sealed class EximVerdicts(EximVerdicts.Mode mode) : ILogLineReader
{
    public enum Mode { MainLog, MainLogArrivalsOnly, RejectLog }

    public string Name => mode == Mode.RejectLog ? "exim-rejectlog" : "exim-mainlog";

    public long Continuations { get; private set; }

    public string? Read(FollowedLine line, long now, List<Fact> facts)
    {
        var v = EximMainLogLine.Read(line.Text);
        switch (v.Meaning)
        {
            case LineMeaning.Continuation:
                Continuations++;
                break;
            case LineMeaning.Unparseable:
                return v.Problem;
            case LineMeaning.Accepted when mode != Mode.RejectLog:
                facts.Add(Fact.Verdict(line.Id, v.Client!, true, now));
                break;
            case LineMeaning.Rejected when mode != Mode.MainLogArrivalsOnly:
                facts.Add(Fact.Verdict(line.Id, v.Client!, false, now));
                break;
        }
        return null;
    }

    public Dictionary<string, string>? SaveState() => null;

    public void LoadState(Dictionary<string, string>? state) { }
}
