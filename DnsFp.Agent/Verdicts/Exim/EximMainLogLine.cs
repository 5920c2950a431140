using System.Net;
using System.Text.RegularExpressions;

namespace DnsFp.Agent.Verdicts.Exim;

/// <summary>
/// One line of Exim's mainlog (or rejectlog), classified by <see cref="EximLineKinds"/>: arrivals from a remote host
/// are accepted verdicts, ACL rejections and drops rejected ones; local submissions, loopback clients, deliveries
/// and everything else are unrelated; Exim's own lines without a timestamp (continuations, rejectlog header dumps)
/// are continuations. Any other line without Exim's timestamp, or an arrival or rejection whose host has no readable
/// address, is unparseable.
/// </summary>
internal static partial class EximMainLogLine
{
    public static Verdict Read(string line)
    {
        var m = Prefix().Match(line);
        if (!m.Success) return EximLineKinds.IsContinuation(line) ? Verdict.Continuation : Verdict.Garbled("no Exim timestamp at the start");
        string rest = line[m.Length..];
        string? messageId = null;
        var id = MessageId().Match(rest);
        if (id.Success) { messageId = id.Groups[1].Value; rest = rest[id.Length..]; }

        return EximLineKinds.Classify(messageId, rest) switch
        {
            EximLineKinds.Kind.Arrival => FromHost(line, LineMeaning.Accepted, "arrival", requireHostField: true),
            EximLineKinds.Kind.AclRejection => FromHost(line, LineMeaning.Rejected, "rejection", requireHostField: false),
            EximLineKinds.Kind.AclDrop => FromHost(line, LineMeaning.Rejected, "drop", requireHostField: false),
            _ => Verdict.Unrelated,
        };
    }

    private static Verdict FromHost(string line, LineMeaning meaning, string what, bool requireHostField)
    {
        bool found = EximHostField.TryFind(line, out var address, out bool hasHostField);
        if (!hasHostField && requireHostField) return Verdict.Unrelated;                          // local submission
        if (!found) return hasHostField ? Verdict.Garbled($"{what} with H= but no [address]") : Verdict.Unrelated;
        if (IPAddress.IsLoopback(address)) return Verdict.Unrelated;                             // local clients are not SMTP clients
        return new Verdict(meaning, address);
    }

    // "2024-01-15 10:00:00", optionally ".123" (+subsecond_timestamp), " +0100" (log_timezone), " [1234]" (+pid)
    [GeneratedRegex(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d{3})?(?: [+-]\d{4})?(?: \[\d+\])? ")]
    private static partial Regex Prefix();

    // 1rPabc-000123-AB (Exim < 4.97) or 1rPabc-00000000123-ABCD (4.97+); any other word works too, as long as
    // an arrival or delivery marker follows it, so an unusual id never turns an arrival into an unrelated line.
    [GeneratedRegex(@"^([0-9A-Za-z]{6}-[0-9A-Za-z]{6,11}-[0-9A-Za-z]{2,4}|\S+(?= (?:<=|=>|->|\*\*|==|\*>|Completed)(?: |$))) ")]
    private static partial Regex MessageId();
}
