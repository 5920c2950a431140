using DnsFp.Agent.Following;
using DnsFp.Contract;

namespace DnsFp.Agent.Sources.P0f;

/// <summary>p0f's -o log, followed like the mail logs: each client SYN line is an observation.</summary>
internal sealed class P0fLogReader : ILogLineReader
{
    public string Name => "p0f";

    public string? Read(FollowedLine line, long now, List<Fact> facts)
    {
        var r = P0fLogLine.Read(line.Text);
        if (r.Kind == P0fLogLine.Kind.Unparseable) return r.Problem;
        if (r.Kind == P0fLogLine.Kind.Observation) facts.Add(Fact.Observation(line.Id, r.Client!, r.Label!, now, ObservationSources.P0f, r.Class));
        return null;
    }

    public Dictionary<string, string>? SaveState() => null;

    public void LoadState(Dictionary<string, string>? state) { }
}
