using System.Text.RegularExpressions;

namespace DnsFp.Agent.Verdicts.Exim;

/// <summary>
/// What each kind of line in Exim's mainlog and rejectlog means to dnsfp, in the order they are tried: the one
/// table of Exim's log vocabulary (Exim's spec, chapter "Log files"; the texts of Exim 4.96's log_write calls).
/// Each row carries an example, and DnsFp.Tests/Agent/Exim/EximLineKindsTests.cs checks every row with it.
/// </summary>
internal static partial class EximLineKinds
{
    public enum Kind
    {
        /// <summary>A line without Exim's timestamp that Exim wrote: a continuation (leading white space) or a rejectlog header dump.</summary>
        Continuation,
        /// <summary>"&lt;=" with H=: a message from a remote host was accepted.</summary>
        Arrival,
        /// <summary>"&lt;=" without H=: a local submission (sendmail, pipe): no SMTP client.</summary>
        LocalSubmission,
        /// <summary>"=&gt;", "-&gt;", "**", "==", "*&gt;", Completed, Frozen: outgoing; remote text may say "rejected".</summary>
        Delivery,
        /// <summary>An ACL refused a client: "rejected RCPT/MAIL/after DATA/EHLO/connection", also "temporarily rejected".</summary>
        AclRejection,
        /// <summary>A drop verb ended the session: "dropped by 'connect' ACL" (TLS-on-connect ports and 4.97+ wording).</summary>
        AclDrop,
        /// <summary>"closed by DROP in ACL": the connection end after a drop, whose rejection is already logged.</summary>
        DropClose,
        /// <summary>Any other line with Exim's timestamp: connections, queue runs, warnings.</summary>
        Other,
    }

    public sealed record Row(Kind Kind, LineMeaning Meaning, string Example);

    public static IReadOnlyList<Row> Rows { get; } =
    [
        new(Kind.Continuation, LineMeaning.Continuation, "  Suggested action: use keepalive"),
        new(Kind.Arrival, LineMeaning.Accepted, "2026-11-20 10:00:00 1vA001-000001-AB <= a@example.net H=mx.example.net [192.0.2.1]:40000 P=esmtps S=1234"),
        new(Kind.LocalSubmission, LineMeaning.Unrelated, "2026-11-20 10:00:00 1vA001-000001-AB <= root@example.org U=root P=local S=512"),
        new(Kind.Delivery, LineMeaning.Unrelated, "2026-11-20 10:00:02 1vA001-000001-AB ** u@remote.example R=dnslookup T=remote_smtp H=mx.remote.example [198.51.100.1]: 550 rejected"),
        new(Kind.DropClose, LineMeaning.Unrelated, "2026-11-20 10:00:01 SMTP connection from (bot) [192.0.2.9]:1234 closed by DROP in ACL"),
        new(Kind.AclRejection, LineMeaning.Rejected, "2026-11-20 10:00:01 H=(bot) [192.0.2.3]:1234 F=<s@example.com> rejected RCPT <u@example.org>: relay not permitted"),
        new(Kind.AclDrop, LineMeaning.Rejected, "2026-11-20 10:00:01 TLS connection from [192.0.2.10]:4567 dropped by 'connect' ACL: banned"),
        new(Kind.Other, LineMeaning.Unrelated, "2026-11-20 10:00:02 SMTP connection from [198.51.100.77]:50000 (TCP/IP connection count = 1)"),
    ];

    /// <summary>
    /// Lines Exim writes without a timestamp: continuations start with white space; the rejectlog follows each
    /// rejection with "Envelope-from:", "Envelope-to:" and the headers, each after a one-character flag
    /// ("P Received: ...", "F From: ...", "* X-Deleted: ...", "  Subject: ...").
    /// </summary>
    public static bool IsContinuation(string line) =>
        line.Length > 0 && (char.IsWhiteSpace(line[0]) || line.StartsWith("Envelope-from: ", StringComparison.Ordinal)
            || line.StartsWith("Envelope-to: ", StringComparison.Ordinal) || HeaderDump().IsMatch(line));

    /// <summary>Which kind a timestamped line is, given the text after the timestamp and after the message id (null: none).</summary>
    public static Kind Classify(string? messageId, string rest)
    {
        if (messageId is not null && rest.StartsWith("<= ", StringComparison.Ordinal)) return rest.Contains(" H=", StringComparison.Ordinal) ? Kind.Arrival : Kind.LocalSubmission;
        if (messageId is not null && DeliveryMarker().IsMatch(rest)) return Kind.Delivery;
        if (rest.Contains(" closed by DROP in ACL", StringComparison.Ordinal)) return Kind.DropClose;
        if (Rejected().IsMatch(rest)) return Kind.AclRejection;
        if (Dropped().IsMatch(rest)) return Kind.AclDrop;
        return Kind.Other;
    }

    [GeneratedRegex(@"^[A-Z*] [!-9;-~]+:")]
    private static partial Regex HeaderDump();

    [GeneratedRegex(@"^(?:=>|->|\*\*|==|\*>|Completed|Frozen|SMTP error)(?: |$)")]
    private static partial Regex DeliveryMarker();

    [GeneratedRegex(@"\brejected\b")]
    private static partial Regex Rejected();

    [GeneratedRegex(@"\bdropped by '?[\w-]+'? ACL\b")]
    private static partial Regex Dropped();
}
