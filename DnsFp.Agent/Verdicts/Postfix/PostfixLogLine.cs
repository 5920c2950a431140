using System.Net;
using System.Text.RegularExpressions;

namespace DnsFp.Agent.Verdicts.Postfix;

/// <summary>
/// One syslog line of Postfix's maillog, classic ("Nov 27 06:00:00 host postfix/smtpd[1]: ...") or RFC 3339
/// ("2026-11-27T06:00:00.1+00:00 host postfix/smtpd[1]: ..."), any syslog_name ("postfix-in/smtpd",
/// "postfix/submission/smtpd"). What matters to dnsfp:
/// "reject: ... from name[ip]" and "milter-reject: ..." (smtpd, postscreen, cleanup) are rejections;
/// "QUEUEID: client=name[ip]" opens a message that becomes accepted when the queue manager takes it
/// ("QUEUEID: from=&lt;...&gt;, size=..."). A rejection of one recipient ("QUEUEID: reject: RCPT from ...") leaves the
/// message open for the others; any other rejection with a queue id (DATA, END-OF-MESSAGE, cleanup's header and body
/// checks, a milter) or "removed" closes it. Blank lines are unrelated.
/// </summary>
internal static partial class PostfixLogLine
{
    public enum Kind { Rejected, RecipientRejected, Client, Queued, Closed, Unrelated, Unparseable }

    public readonly record struct Event(Kind Kind, string? QueueId = null, IPAddress? Client = null, string? Problem = null);

    public static Event Read(string line)
    {
        if (string.IsNullOrWhiteSpace(line)) return new Event(Kind.Unrelated);
        var m = Syslog().Match(line);
        if (!m.Success) return new Event(Kind.Unparseable, Problem: "not a syslog line");
        if (!m.Groups["program"].Value.StartsWith("postfix", StringComparison.Ordinal)) return new Event(Kind.Unrelated);
        string daemon = m.Groups["daemon"].Value;
        string message = line[m.Length..];

        var q = QueueId().Match(message);
        string? queueId = q.Success && q.Groups[1].Value != "NOQUEUE" ? q.Groups[1].Value : null;
        string rest = q.Success ? message[q.Length..] : message;

        if (rest.StartsWith("reject: ", StringComparison.Ordinal) || rest.StartsWith("milter-reject: ", StringComparison.Ordinal)
            || rest.StartsWith("discard: ", StringComparison.Ordinal))
        {
            var host = Host().Match(rest);
            if (!host.Success || !IPAddress.TryParse(host.Groups[1].Value, out var ip)) return new Event(Kind.Unparseable, Problem: "reject without a client [address]");
            bool oneRecipient = queueId is not null && daemon == "smtpd" && rest.AsSpan(rest.IndexOf(' ') + 1).StartsWith("RCPT from ", StringComparison.Ordinal);
            if (IPAddress.IsLoopback(ip)) return oneRecipient ? new Event(Kind.Unrelated) : new Event(Kind.Closed, queueId);
            return new Event(oneRecipient ? Kind.RecipientRejected : Kind.Rejected, queueId, ip);
        }
        if (queueId is null) return new Event(Kind.Unrelated);
        if (daemon == "smtpd" && rest.StartsWith("client=", StringComparison.Ordinal))
        {
            var host = Host().Match(rest);
            if (!host.Success || !IPAddress.TryParse(host.Groups[1].Value, out var ip)) return new Event(Kind.Unparseable, Problem: "client= without an [address]");
            return IPAddress.IsLoopback(ip) ? new Event(Kind.Unrelated) : new Event(Kind.Client, queueId, ip);
        }
        if (daemon == "qmgr" && rest.StartsWith("from=<", StringComparison.Ordinal)) return new Event(Kind.Queued, queueId);
        if (rest.StartsWith("removed", StringComparison.Ordinal)) return new Event(Kind.Closed, queueId);
        return new Event(Kind.Unrelated);
    }

    // RFC 3164 "Nov 27 06:00:00", "Dec  7 06:00:00" or unpadded "Dec 7 06:00:00", or an RFC 3339 timestamp; host; "program/daemon[pid]: "
    [GeneratedRegex(@"^(?:[A-Z][a-z]{2} {1,2}\d{1,2} \d\d:\d\d:\d\d|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)) \S+ (?<program>[^\s\[:/]+)(?:/[^\s\[:/]+)*?(?:/(?<daemon>[^\s\[:/]+))?(?:\[\d+\])?: ")]
    private static partial Regex Syslog();

    [GeneratedRegex(@"^([0-9A-Za-z]{5,}|NOQUEUE): ")]
    private static partial Regex QueueId();

    // "from name[1.2.3.4]", "from [1.2.3.4]:port", "client=name[2001:db8::1]"
    [GeneratedRegex(@"(?:from |client=)[^\s\[\]]*\[([0-9A-Fa-f:.]+)\]")]
    private static partial Regex Host();
}
