using System.Net;
using DnsFp.Agent.Following;
using DnsFp.Contract;

namespace DnsFp.Agent.Verdicts.Postfix;

/// <summary>
/// Turns Postfix lines into verdicts, keeping the messages that smtpd received but the queue manager has not yet
/// taken (queue id → client). That table is saved with the follower's position, so a restart between a
/// "client=" line and its queue manager line still counts the message, once.
/// </summary>
internal sealed class PostfixVerdicts : ILogLineReader
{
    private const int MaxOpen = 100_000;
    private readonly Dictionary<string, IPAddress> _open = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    public string Name => "postfix";

    public string? Read(FollowedLine line, long now, List<Fact> facts)
    {
        var e = PostfixLogLine.Read(line.Text);
        switch (e.Kind)
        {
            case PostfixLogLine.Kind.Unparseable:
                return e.Problem;
            case PostfixLogLine.Kind.Rejected:
                facts.Add(Fact.Verdict(line.Id, e.Client!, false, now));
                if (e.QueueId is not null) _open.Remove(e.QueueId);
                break;
            case PostfixLogLine.Kind.RecipientRejected:
                facts.Add(Fact.Verdict(line.Id, e.Client!, false, now));   // the message stays open for the other recipients
                break;
            case PostfixLogLine.Kind.Client:
                if (_open.TryAdd(e.QueueId!, e.Client!)) _order.Enqueue(e.QueueId!);
                while (_order.Count > MaxOpen) _open.Remove(_order.Dequeue());
                break;
            case PostfixLogLine.Kind.Queued:
                if (_open.Remove(e.QueueId!, out var client)) facts.Add(Fact.Verdict(line.Id, client, true, now));
                break;
            case PostfixLogLine.Kind.Closed:
                if (e.QueueId is not null) _open.Remove(e.QueueId);
                break;
        }
        return null;
    }

    public Dictionary<string, string>? SaveState() =>
        _open.Count == 0 ? null : _open.ToDictionary(kv => kv.Key, kv => kv.Value.ToString(), StringComparer.Ordinal);

    public void LoadState(Dictionary<string, string>? state)
    {
        _open.Clear(); _order.Clear();
        foreach (var (queueId, ip) in state ?? [])
        {
            if (IPAddress.TryParse(ip, out var address)) { _open[queueId] = address; _order.Enqueue(queueId); }
        }
    }
}
