using DnsFp.Agent.Following;
using DnsFp.Agent.Verdicts.Postfix;
using DnsFp.Contract;

namespace DnsFp.Tests.Agent.Postfix;

public sealed class PostfixLogLineTests
{
    public static TheoryData<string, string, string?> Lines => new()
    {
        { "Nov 27 06:00:00 mail postfix/smtpd[1234]: NOQUEUE: reject: RCPT from unknown[192.0.2.1]: 554 5.7.1 <u@example.org>: Relay access denied; from=<s@example.com> to=<u@example.org> proto=ESMTP helo=<bot>", "Rejected", "192.0.2.1" },
        { "2026-11-27T06:00:00.123456+00:00 mail postfix/postscreen[99]: NOQUEUE: reject: RCPT from [192.0.2.2]:51234: 550 5.7.1 Service unavailable; client [192.0.2.2] blocked using zen.spamhaus.org; from=<s@example.com>, to=<u@example.org>, proto=ESMTP, helo=<x>", "Rejected", "192.0.2.2" },
        { "Nov  7 06:00:00 mail postfix-in/cleanup[5]: 4F3A1C2B3D: reject: header Subject: buy now from mx.example.net[2001:db8::9]; from=<s@example.net> to=<u@example.org> proto=ESMTP helo=<mx>: 5.7.1 no", "Rejected", "2001:db8::9" },
        { "Nov 27 06:00:00 mail postfix/submission/smtpd[7]: 4F3A1C2B3D: client=mx.example.net[192.0.2.3]", "Client", "192.0.2.3" },
        { "Nov 27 06:00:00 mail postfix/smtpd[7]: 4F3A1C2B3D: client=localhost[127.0.0.1]", "Unrelated", null },
        { "Nov 27 06:00:01 mail postfix/qmgr[9]: 4F3A1C2B3D: from=<s@example.net>, size=1234, nrcpt=1 (queue active)", "Queued", null },
        { "Nov 27 06:00:02 mail postfix/qmgr[9]: 4F3A1C2B3D: removed", "Closed", null },
        { "Nov 27 06:00:02 mail postfix/smtp[9]: 4F3A1C2B3D: to=<x@remote.example>, relay=mx.remote.example[198.51.100.1]:25, status=sent (250 ok)", "Unrelated", null },
        { "Nov 27 06:00:02 mail postfix/smtpd[7]: connect from unknown[192.0.2.4]", "Unrelated", null },
        { "Nov 27 06:00:02 mail dovecot: imap-login: Login: user=<u>, rip=192.0.2.1", "Unrelated", null },
        { "Nov 27 06:00:02 mail postfix/smtpd[7]: NOQUEUE: reject: RCPT from unknown: 554 no address", "Unparseable", null },
        { "not a syslog line", "Unparseable", null },
        // milter rejections, at smtpd and at cleanup
        { "Dec  7 06:00:00 mail postfix/smtpd[7]: NOQUEUE: milter-reject: RCPT from unknown[192.0.2.20]: 451 4.7.1 Try again later; from=<s@example.com> to=<u@example.org> proto=ESMTP helo=<x>", "Rejected", "192.0.2.20" },
        { "Dec  7 06:00:00 mail postfix/cleanup[8]: 4F3A1C2B3D: milter-reject: END-OF-MESSAGE from mx.example.net[192.0.2.21]: 5.7.1 Spam message rejected; from=<s@example.net> to=<u@example.org> proto=ESMTP helo=<mx>", "Rejected", "192.0.2.21" },
        // one recipient of a queued message refused: the message stays open for the others
        { "Dec  7 06:00:00 mail postfix/smtpd[7]: 4F3A1C2B3D: reject: RCPT from mx.example.net[192.0.2.22]: 550 5.1.1 <nobody@example.org>: Recipient address rejected: User unknown; from=<s@example.net> to=<nobody@example.org> proto=ESMTP helo=<mx>", "RecipientRejected", "192.0.2.22" },
        // syslog days not padded, RFC 3339 with a Z, blank lines
        { "Dec 7 06:00:00 mail postfix/smtpd[7]: NOQUEUE: reject: RCPT from unknown[192.0.2.23]: 554 5.7.1 no", "Rejected", "192.0.2.23" },
        { "2026-12-07T06:00:00Z mail postfix/smtpd[7]: NOQUEUE: reject: RCPT from unknown[192.0.2.24]: 554 5.7.1 no", "Rejected", "192.0.2.24" },
        { "", "Unrelated", null },
        { "   ", "Unrelated", null },
    };

    [Theory]
    [MemberData(nameof(Lines))]
    public void Line_means(string line, string kind, string? client)
    {
        var e = PostfixLogLine.Read(line);
        Assert.Equal(kind, e.Kind.ToString());
        Assert.Equal(client, e.Client?.ToString());
    }

    [Fact]
    public void A_message_is_accepted_when_the_queue_manager_takes_it_even_across_a_restart()
    {
        var reader = new PostfixVerdicts();
        var facts = new List<Fact>();
        reader.Read(new FollowedLine("Nov 27 06:00:00 mail postfix/smtpd[7]: 4F3A1C2B3D: client=mx.example.net[192.0.2.3]", "l1"), 1, facts);
        reader.Read(new FollowedLine("Nov 27 06:00:00 mail postfix/smtpd[7]: 5A5A5A5A5A: client=mx.example.net[192.0.2.4]", "l2"), 1, facts);
        reader.Read(new FollowedLine("Nov 27 06:00:00 mail postfix/cleanup[8]: 5A5A5A5A5A: reject: body spam from mx.example.net[192.0.2.4]; from=<a@b>", "l3"), 1, facts);
        Assert.Equal([("192.0.2.4", FactKind.Rejected)], facts.Select(f => (f.Address.ToString(), f.Kind)));

        var restarted = new PostfixVerdicts();                        // the open message survives in the saved state
        restarted.LoadState(reader.SaveState());
        facts.Clear();
        restarted.Read(new FollowedLine("Nov 27 06:00:01 mail postfix/qmgr[9]: 4F3A1C2B3D: from=<s@example.net>, size=1, nrcpt=2 (queue active)", "l4"), 1, facts);
        restarted.Read(new FollowedLine("Nov 27 06:00:01 mail postfix/qmgr[9]: 4F3A1C2B3D: from=<s@example.net>, size=1, nrcpt=2 (queue active)", "l5"), 1, facts);
        var accepted = Assert.Single(facts);                          // once per message
        Assert.Equal(("192.0.2.3", FactKind.Accepted, "l4"), (accepted.Address.ToString(), accepted.Kind, accepted.Id));
    }

    [Fact]
    public void A_queued_message_with_a_refused_recipient_gives_both_verdicts()
    {
        var reader = new PostfixVerdicts();
        var facts = new List<Fact>();
        reader.Read(new FollowedLine("Dec  7 06:00:00 mail postfix/smtpd[7]: 4F3A1C2B3D: client=mx.example.net[192.0.2.30]", "l1"), 1, facts);
        reader.Read(new FollowedLine("Dec  7 06:00:00 mail postfix/smtpd[7]: 4F3A1C2B3D: reject: RCPT from mx.example.net[192.0.2.30]: 550 5.1.1 <nobody@example.org>: Recipient address rejected: User unknown; from=<s@example.net> to=<nobody@example.org> proto=ESMTP helo=<mx>", "l2"), 1, facts);
        reader.Read(new FollowedLine("Dec  7 06:00:01 mail postfix/cleanup[8]: 4F3A1C2B3D: message-id=<m@example.net>", "l3"), 1, facts);
        reader.Read(new FollowedLine("Dec  7 06:00:01 mail postfix/qmgr[9]: 4F3A1C2B3D: from=<s@example.net>, size=1, nrcpt=1 (queue active)", "l4"), 1, facts);
        Assert.Equal([("192.0.2.30", FactKind.Rejected), ("192.0.2.30", FactKind.Accepted)], facts.Select(f => (f.Address.ToString(), f.Kind)));
    }

    [Fact]
    public void A_milter_reject_at_cleanup_closes_the_message()
    {
        var reader = new PostfixVerdicts();
        var facts = new List<Fact>();
        reader.Read(new FollowedLine("Dec  7 06:00:00 mail postfix/smtpd[7]: 4F3A1C2B3D: client=mx.example.net[192.0.2.31]", "l1"), 1, facts);
        reader.Read(new FollowedLine("Dec  7 06:00:01 mail postfix/cleanup[8]: 4F3A1C2B3D: milter-reject: END-OF-MESSAGE from mx.example.net[192.0.2.31]: 5.7.1 Spam; from=<s@example.net> to=<u@example.org> proto=ESMTP helo=<mx>", "l2"), 1, facts);
        reader.Read(new FollowedLine("Dec  7 06:00:01 mail postfix/qmgr[9]: 4F3A1C2B3D: from=<s@example.net>, size=1, nrcpt=1 (queue active)", "l3"), 1, facts);
        Assert.Equal([("192.0.2.31", FactKind.Rejected)], facts.Select(f => (f.Address.ToString(), f.Kind)));
    }
}
