using DnsFp.Agent.Verdicts;
using DnsFp.Agent.Verdicts.Exim;

namespace DnsFp.Tests.Agent.Exim;

/// <summary>What each kind of Exim log line means, as a case table (lines written after Exim's spec, chapter "Log files").</summary>
public sealed class EximMainLogLineTests
{
    public static TheoryData<string, LineMeaning, string?> Cases => new()
    {
        // arrivals from remote hosts: accepted
        { "2026-11-20 10:00:00 1vA001-000001-AB <= a@example.net H=mx.example.net (helo.example.net) [192.0.2.1]:40000 P=esmtps X=TLS1.3 S=1234 id=x@y", LineMeaning.Accepted, "192.0.2.1" },
        { "2026-11-20 10:00:00 1vA001-00000000001-ABCD <= a@example.net H=[192.0.2.2] P=esmtp S=1", LineMeaning.Accepted, "192.0.2.2" },
        { "2026-11-20 10:00:00.123 +0100 [4242] 1vA001-000001-AB <= <> H=(bounce) [2001:db8::7]:25000 P=esmtp S=1", LineMeaning.Accepted, "2001:db8::7" },
        { "2026-11-20 10:00:00 1vA001-000001-AB <= a@example.net H=([10.9.9.9]) [203.0.113.9]:1 I=[192.0.2.25]:25 P=esmtp S=1", LineMeaning.Accepted, "203.0.113.9" },
        // rejections with a host: rejected
        { "2026-11-20 10:00:01 H=(bot) [192.0.2.3]:1234 F=<s@example.com> rejected RCPT <u@example.org>: relay not permitted", LineMeaning.Rejected, "192.0.2.3" },
        { "2026-11-20 10:00:01 1vA001-000001-AB H=mx.example.com [192.0.2.4]:1 F=<s@example.com> rejected after DATA: spam", LineMeaning.Rejected, "192.0.2.4" },
        { "2026-11-20 10:00:01 H=([192.0.2.99]) [192.0.2.5]:1 rejected EHLO or HELO [192.0.2.99]: no IP literals", LineMeaning.Rejected, "192.0.2.5" },
        { "2026-11-20 10:00:01 rejected EHLO from [192.0.2.6]: syntactically invalid argument(s): a b", LineMeaning.Rejected, "192.0.2.6" },
        { "2026-11-20 10:00:01 H=[192.0.2.7] rejected connection in \"connect\" ACL", LineMeaning.Rejected, "192.0.2.7" },
        { "2026-11-20 10:00:01 H=x [192.0.2.8]:1 F=<s@example.com> temporarily rejected RCPT <u@example.org>: greylisted", LineMeaning.Rejected, "192.0.2.8" },
        // local submissions, loopback, deliveries and chatter: unrelated
        { "2026-11-20 10:00:02 1vA001-000001-AB <= root@example.org U=root P=local S=512", LineMeaning.Unrelated, null },
        { "2026-11-20 10:00:02 1vA001-000001-AB <= a@example.org H=localhost (x) [127.0.0.1]:5000 P=esmtpa A=plain:a S=1", LineMeaning.Unrelated, null },
        { "2026-11-20 10:00:02 1vA001-000001-AB => u@example.org R=local_user T=local_delivery", LineMeaning.Unrelated, null },
        { "2026-11-20 10:00:02 1vA001-000001-AB ** u@remote.example R=dnslookup T=remote_smtp H=mx.remote.example [198.51.100.1]: SMTP error from remote mail server after RCPT TO:<u@remote.example>: 550 rejected", LineMeaning.Unrelated, null },
        { "2026-11-20 10:00:02 1vA001-000001-AB == u@remote.example R=dnslookup T=remote_smtp defer (-44) H=mx.remote.example [198.51.100.1]: rejected", LineMeaning.Unrelated, null },
        { "2026-11-20 10:00:02 1vA001-000001-AB Completed", LineMeaning.Unrelated, null },
        { "2026-11-20 10:00:02 SMTP connection from [198.51.100.77]:50000 (TCP/IP connection count = 1)", LineMeaning.Unrelated, null },
        { "2026-11-20 10:00:02 Start queue run: pid=1234", LineMeaning.Unrelated, null },
        { "2026-11-20 10:00:02 1vA001-000001-AB rejected from <a@example.org> U=www: bad sender", LineMeaning.Unrelated, null },
        // drops by an ACL: rejected; the connection-closed line after a drop: unrelated (the rejection is logged already)
        { "2026-11-20 10:00:01 TLS connection from [192.0.2.11]:4567 dropped by 'connect' ACL: banned", LineMeaning.Rejected, "192.0.2.11" },
        { "2026-11-20 10:00:01 H=(bot) [192.0.2.12]:1 dropped by 'acl_check_rcpt' ACL", LineMeaning.Rejected, "192.0.2.12" },
        { "2026-11-20 10:00:01 SMTP connection from (bot) [192.0.2.12]:1 closed by DROP in ACL", LineMeaning.Unrelated, null },
        // Exim's own lines without a timestamp: continuations and the rejectlog's header dump
        { " Suggested action: use keepalive", LineMeaning.Continuation, null },
        { "\tby mx.example.org with esmtp (Exim 4.96)", LineMeaning.Continuation, null },
        { "Envelope-from: <s@example.com>", LineMeaning.Continuation, null },
        { "Envelope-to: <u@example.org>", LineMeaning.Continuation, null },
        { "P Received: from [192.0.2.4] (helo=mx.example.com)", LineMeaning.Continuation, null },
        { "I Message-ID: <x@example.com>", LineMeaning.Continuation, null },
        { "F From: spammer <s@example.com>", LineMeaning.Continuation, null },
        { "* X-Spam-Score: 9.9", LineMeaning.Continuation, null },
        { "  Subject: buy now", LineMeaning.Continuation, null },
        // garbled: unparseable
        { "this is not an exim log line", LineMeaning.Unparseable, null },
        { "2026-11-20 10:0", LineMeaning.Unparseable, null },
        { "2026-11-20 10:00:03 1vA001-000001-AB <= a@example.net H=mx.example.net P=esmtp S=1", LineMeaning.Unparseable, null },
        { "2026-11-20 10:00:03 H=mx.example.net [not-an-ip] rejected RCPT <u@example.org>", LineMeaning.Unparseable, null },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Line_means(string line, LineMeaning meaning, string? client)
    {
        var v = EximMainLogLine.Read(line);
        Assert.Equal(meaning, v.Meaning);
        Assert.Equal(client, v.Client?.ToString());
        if (meaning == LineMeaning.Unparseable) Assert.False(string.IsNullOrEmpty(v.Problem));
    }

    /// <summary>Every row of the one table of Exim line kinds is what its example says (EximLineKinds.cs).</summary>
    public static TheoryData<int> Rows() => [.. Enumerable.Range(0, EximLineKinds.Rows.Count)];

    [Theory]
    [MemberData(nameof(Rows))]
    public void Each_row_of_the_line_kind_table_reads_as_its_meaning(int row)
    {
        var r = EximLineKinds.Rows[row];
        Assert.Equal(r.Meaning, EximMainLogLine.Read(r.Example).Meaning);
    }
}
