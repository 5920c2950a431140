using DnsFp.Agent.Import;
using DnsFp.Agent.Sources.Pf;

namespace DnsFp.Tests.Agent.Pf;

/// <summary>The article's join: inbound TCP states of os rules become observations; everything else is counted, not observed.</summary>
public sealed class PfObservationsTests
{
    [Fact]
    public void Only_inbound_tcp_states_of_main_os_rules_are_observed()
    {
        var problems = new LineProblems("t");
        var rules = PfRuleSet.Parse("""
            @0 pass in quick proto tcp from any os "Windows 98 noSACK" to any port = 25
            @1 pass in quick proto tcp from any os "unknown" to any port = 25
            @2 pass in quick proto tcp from any to any port = 25
            @3 pass out all
            @4 pass in quick proto udp from any os "Linux" to any
            """.Split('\n'), problems);
        var states = PfStateReader.Read("""
            all tcp 192.0.2.25:25 <- 198.51.100.1:1000       ESTABLISHED:ESTABLISHED
               age 00:00:01, expires in 24:00:00, 1:1 pkts, 1:1 bytes, rule 0
            all tcp 192.0.2.25:25 <- 198.51.100.2:1000       ESTABLISHED:ESTABLISHED
               age 00:00:01, expires in 24:00:00, 1:1 pkts, 1:1 bytes, rule 1
            all tcp 192.0.2.25:25 <- 198.51.100.3:1000       ESTABLISHED:ESTABLISHED
               age 00:00:01, expires in 24:00:00, 1:1 pkts, 1:1 bytes, rule 2
            all tcp 192.0.2.25:4000 -> 198.51.100.4:25       ESTABLISHED:ESTABLISHED
               age 00:00:01, expires in 24:00:00, 1:1 pkts, 1:1 bytes, rule 3
            all udp 192.0.2.25:53 <- 198.51.100.5:1000       SINGLE:MULTIPLE
               age 00:00:01, expires in 24:00:00, 1:1 pkts, 1:1 bytes, rule 4
            all tcp 192.0.2.25:25 <- 198.51.100.6:1000       ESTABLISHED:ESTABLISHED
               age 00:00:01, expires in 24:00:00, 1:1 pkts, 1:1 bytes, anchor 1, rule 0
            all tcp 192.0.2.25:25 <- 198.51.100.7:1000       ESTABLISHED:ESTABLISHED
            all tcp 192.0.2.25:25 <- 198.51.100.1:1001       ESTABLISHED:ESTABLISHED
               age 00:00:01, expires in 24:00:00, 1:1 pkts, 1:1 bytes, rule 0
            """.Split('\n'), problems);
        Assert.Equal(0, problems.Count);

        var result = PfObservations.Join(states, rules);
        Assert.Equal([("198.51.100.1", "Windows 98 noSACK"), ("198.51.100.2", "Unknown")],
            result.Observations.Select(o => (o.Address.ToString(), o.Label)));
        Assert.Equal(1, result.NotObserved["rule has no os"]);
        Assert.Equal(1, result.NotObserved["outbound"]);
        Assert.Equal(1, result.NotObserved["not TCP"]);
        Assert.Equal(1, result.NotObserved["created by a rule inside an anchor"]);
        Assert.Equal(1, result.NotObserved["no rule number (use pfctl -vvss)"]);
    }
}
