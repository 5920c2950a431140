using System.Net;
using System.Text.RegularExpressions;

namespace DnsFp.Agent.Verdicts.Rspamd;

/// <summary>
/// One line of rspamd's log: the per-message summary rspamd writes after a scan ("rspamd_task_write_log: id: &lt;...&gt;,
/// ip: 192.0.2.1, (default: T (add header): [7.20/15.00] [...])"), as rspamd 3.4 writes it to a file
/// ("2026-12-07 03:26:20 #25538(normal) &lt;a21bf3&gt;; task; ...") or to syslog (without the timestamp). The action
/// is the verdict: <see cref="Meaning"/> says which action counts as what. Every other rspamd line is unrelated.
/// </summary>
internal static partial class RspamdLogLine
{
    /// <summary>
    /// rspamd's actions and what they say about the sender. Spam that is delivered marked (add header, rewrite
    /// subject) is as much a spam verdict as a reject; greylist and soft reject are temporary (the client's retry
    /// gets the real verdict), so they count as nothing.
    /// </summary>
    public static LineMeaning Meaning(string action) => action switch
    {
        "no action" => LineMeaning.Accepted,
        "reject" or "add header" or "rewrite subject" => LineMeaning.Rejected,
        "greylist" or "soft reject" => LineMeaning.Unrelated,
        _ => LineMeaning.Unparseable,
    };

    public static Verdict Read(string line)
    {
        int at = line.IndexOf("rspamd_task_write_log: ", StringComparison.Ordinal);
        if (at < 0) return Timestamp().IsMatch(line) || line.StartsWith('#') ? Verdict.Unrelated : Verdict.Garbled("not an rspamd log line");
        var action = Action().Match(line, at);
        if (!action.Success) return Verdict.Garbled("rspamd task summary without an action");
        var meaning = Meaning(action.Groups[1].Value);
        if (meaning == LineMeaning.Unparseable) return Verdict.Garbled($"unknown rspamd action '{action.Groups[1].Value}'");
        if (meaning == LineMeaning.Unrelated) return Verdict.Unrelated;
        var ip = Ip().Match(line, at);
        if (!ip.Success) return Verdict.Unrelated;                                   // no client address: a local scan
        if (!IPAddress.TryParse(ip.Groups[1].ValueSpan, out var address)) return Verdict.Garbled($"'{ip.Groups[1].Value}' is not an IP address");
        if (IPAddress.IsLoopback(address)) return Verdict.Unrelated;                  // rspamc without --ip, local submissions
        return new Verdict(meaning, address);
    }

    [GeneratedRegex(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d")]
    private static partial Regex Timestamp();

    // "(default: T (add header): [" — the metric name, spam flag (T, F, or S for a forced action), then the action
    [GeneratedRegex(@"\(\w+: [TFS] \(([a-z ]+)\): \[")]
    private static partial Regex Action();

    [GeneratedRegex(@", ip: ([0-9A-Fa-f:.]+),")]
    private static partial Regex Ip();
}
