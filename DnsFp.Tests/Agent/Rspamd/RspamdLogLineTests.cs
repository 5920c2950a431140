using DnsFp.Agent.Verdicts;
using DnsFp.Agent.Verdicts.Rspamd;

namespace DnsFp.Tests.Agent.Rspamd;

/// <summary>rspamd's per-message summary lines (the first two as rspamd 3.4 wrote them here, from rspamc --ip scans) and what each action counts as.</summary>
public sealed class RspamdLogLineTests
{
    private const string Greylisted = "2026-12-07 03:26:20 #25538(normal) <a21bf3>; task; rspamd_task_write_log: id: <x@example.net>, ip: 192.0.2.10, (default: T (greylist): [5.50/15.00] [HFILTER_HOSTNAME_UNKNOWN(2.50){},AUTH_NA(1.00){},MISSING_DATE(1.00){},RDNS_NONE(1.00){},MIME_GOOD(-0.10){text/plain;}]), len: 83, time: 113.209ms, dns req: 11, digest: <07fa59abdb07badb9a7a8e217e96c1c9>, mime_rcpts: <u@example.org>, file: stdin";
    private const string Gtube = "2026-12-07 03:26:20 #25538(normal) <f2c67b>; task; rspamd_task_write_log: id: <y@example.net>, ip: 2001:db8::5, (default: S (reject): [15.00/15.00] [GTUBE(0.00){}]), len: 147, time: 0.514ms, dns req: 0, digest: <1224313df4a0326473a4659e01d3be6c>, mime_rcpts: <u@example.org>, file: stdin, forced: reject \"Gtube pattern\"; score=15.00 (set by GTUBE)";

    private static string Summary(string ip, string flag, string action) =>
        $"2026-12-07 03:30:00 #1(normal) <abc123>; task; rspamd_task_write_log: id: <m@example.net>, qid: <4F3A1C2B3D>, ip: {ip}, from: <s@example.net>, ({"default"}: {flag} ({action}): [1.00/15.00] [X(1.00){{}}]), len: 100, time: 1.0ms, dns req: 1, digest: <00>, rcpts: <u@example.org>";

    public static TheoryData<string, LineMeaning, string?> Lines => new()
    {
        { Greylisted, LineMeaning.Unrelated, null },                       // temporary: the retry gets the verdict
        { Gtube, LineMeaning.Rejected, "2001:db8::5" },
        { Summary("192.0.2.1", "F", "no action"), LineMeaning.Accepted, "192.0.2.1" },
        { Summary("192.0.2.2", "T", "add header"), LineMeaning.Rejected, "192.0.2.2" },
        { Summary("192.0.2.3", "T", "rewrite subject"), LineMeaning.Rejected, "192.0.2.3" },
        { Summary("192.0.2.4", "T", "soft reject"), LineMeaning.Unrelated, null },
        { Summary("192.0.2.5", "T", "reject"), LineMeaning.Rejected, "192.0.2.5" },
        { Summary("127.0.0.1", "T", "reject"), LineMeaning.Unrelated, null },  // rspamc without --ip
        { Summary("192.0.2.6", "T", "quarantine"), LineMeaning.Unparseable, null },
        { "2026-12-07 03:26:18 #25531(main) <ab1c2d>; main; main: rspamd 3.4 is loading configuration", LineMeaning.Unrelated, null },
        { "#25538(normal) <f2c67b>; task; rspamd_task_write_log: id: <y@example.net>, ip: 192.0.2.7, (default: F (no action): [0.00/15.00] []), len: 1", LineMeaning.Accepted, "192.0.2.7" },   // via syslog
        { "garbage", LineMeaning.Unparseable, null },
    };

    [Theory]
    [MemberData(nameof(Lines))]
    public void Line_means(string line, LineMeaning meaning, string? client)
    {
        var v = RspamdLogLine.Read(line);
        Assert.Equal(meaning, v.Meaning);
        Assert.Equal(client, v.Client?.ToString());
    }
}
