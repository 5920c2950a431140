using DnsFp.Agent.Import;
using DnsFp.Agent.Sources.Pf;

namespace DnsFp.Tests.Agent.Pf;

/// <summary>State lines of both eras, NAT, IPv6 and the real captures in ../shared/reference/pfctl.</summary>
public sealed class PfStateReaderTests
{
    private static List<PfState> Read(string text, out LineProblems problems)
    {
        problems = new LineProblems("test");
        return PfStateReader.Read(text.Split('\n'), problems);
    }

    public static TheoryData<string, bool, string> Lines => new()
    {
        // FreeBSD 5.x/6.x (the article ran FreeBSD 5.4): "self tcp LAN <- GWY <- EXT" or "GWY <- EXT"
        { "self tcp 10.0.0.1:25 <- 192.0.2.9:54321       ESTABLISHED:ESTABLISHED", true, "192.0.2.9" },
        { "self tcp 192.168.1.20:25 <- 203.0.113.5:25 <- 198.51.100.7:40000       ESTABLISHED:ESTABLISHED", true, "198.51.100.7" },
        { "all tcp 192.168.1.10:51000 -> 203.0.113.5:62000 -> 198.51.100.7:25       ESTABLISHED:ESTABLISHED", false, "198.51.100.7" },
        { "tcp 10.0.0.1:25 <- 192.0.2.9:54321       ESTABLISHED:ESTABLISHED", true, "192.0.2.9" },         // OpenBSD <= 3.4, no interface
        { "self tcp 2001:db8::25[25] <- 2001:db8:1::99[50123]       ESTABLISHED:ESTABLISHED", true, "2001:db8:1::99" },
        // OpenBSD >= 4.5 / FreeBSD >= 9: one arrow, NAT'd addresses in parentheses
        { "all tcp 10.37.132.100:22 <- 10.37.132.1:49460       ESTABLISHED:ESTABLISHED", true, "10.37.132.1" },
        { "all tcp 192.168.1.105:32400 (162.202.41.52:41952) <- 73.96.122.167:36068       ESTABLISHED:ESTABLISHED", true, "73.96.122.167" },
        { "all tcp 127.0.0.1:3129 (140.82.114.3:443) <- 10.99.0.162:59216       FIN_WAIT_2:FIN_WAIT_2", true, "10.99.0.162" },
        { "all tcp 10.0.2.15:25608 (10.30.50.3:3782) -> 144.76.222.201:25608       ESTABLISHED:ESTABLISHED", false, "144.76.222.201" },
        { "all tcp 2001:db8::25[25] <- 2001:db8:1::99[50123]       ESTABLISHED:ESTABLISHED", true, "2001:db8:1::99" },
        { "em0 tcp 192.0.2.25:25 <- 192.0.2.77:1025 (198.51.100.77:1025)       SYN_SENT:ESTABLISHED", true, "198.51.100.77" },  // binat: wire address
        { "all tcp (1) 10.0.0.1:25 <- (1) 192.0.2.9:5000       ESTABLISHED:ESTABLISHED", true, "192.0.2.9" },                  // OpenBSD rdomain
    };

    [Theory]
    [MemberData(nameof(Lines))]
    public void State_line_gives_direction_and_remote_peer(string line, bool inbound, string remote)
    {
        var s = Assert.Single(Read(line, out var problems));
        Assert.Equal(0, problems.Count);
        Assert.Equal(inbound, s.Inbound);
        Assert.Equal(remote, s.Remote.ToString());
    }

    [Fact]
    public void Detail_lines_give_rule_and_anchor()
    {
        var states = Read("""
            all tcp 127.0.0.1:3129 (140.82.114.3:443) <- 10.99.0.162:59216       FIN_WAIT_2:FIN_WAIT_2
               [2837096760 + 392192] wscale 7  [2817892562 + 65792] wscale 10
               age 00:01:09, expires in 00:00:24, 249:432 pkts, 14863:616615 bytes, anchor 4
            all tcp 192.168.1.105:32400 (162.202.41.52:41952) <- 73.96.122.167:36068       ESTABLISHED:ESTABLISHED
               age 10:34:23, expires in 15:52:01, 796:814 pkts, 42419:83330 bytes, anchor 2, rule 3, source-track
               id: 6694fa6200000003 creatorid: a2e0f312 gateway: 0.0.0.0
               origif: le0
            """, out var problems);
        Assert.Equal(0, problems.Count);
        Assert.Equal((4, (int?)null), (states[0].Anchor!.Value, states[0].Rule));
        Assert.Equal((2, 3), (states[1].Anchor!.Value, states[1].Rule!.Value));
    }

    [Theory]
    [InlineData("all tcp 10.0.0.1:25 <-> 192.0.2.9:5000       ESTABLISHED:ESTABLISHED")]
    [InlineData("all tcp 10.0.0.1:25 <- 192.0.2.9:5000")]
    [InlineData("all tcp 10.0.0.1:25 <- 192.0.2.9:5000 -> 198.51.100.1:25       ESTABLISHED:ESTABLISHED")]
    [InlineData("fw-bsd# pfctl -ss")]
    public void Unknown_formats_are_reported_not_guessed(string line)
    {
        Assert.Empty(Read(line, out var problems));
        Assert.Equal(1, problems.Count);
    }

    [Theory]
    [InlineData("02-opnsense-freebsd13-pfctl-vvss.real.txt", 1, 0)]
    [InlineData("07-opnsense-pfctl-ssv-nat-rdr.real.txt", 4, 0)]
    public void Real_captures_read_without_problems(string file, int expectedStates, int expectedProblems)
    {
        var reference = Support.RepoPaths.SharedReference;
        if (reference is null) return;                                     // ../shared is not beside this checkout
        var problems = new LineProblems(file);
        var states = PfStateReader.Read(File.ReadLines(Path.Combine(reference, "pfctl", file)), problems);
        Assert.Equal(expectedStates, states.Count);
        Assert.Equal(expectedProblems, problems.Count);
    }
}
