using System.Net;
using DnsFp.Contract;

namespace DnsFp.Tests.Contract;

public sealed class FactStreamEntryTests
{
    [Fact]
    public void A_batch_entry_carries_every_fact_with_its_host_and_counts_a_garbled_line()
    {
        var facts = new List<Fact>
        {
            Fact.Observation("id1", IPAddress.Parse("192.0.2.1"), "Linux 2.6", 1700000000, ObservationSources.P0f),
            Fact.Observation("id2", IPAddress.Parse("2001:db8::1"), "Windows XP", 1700000001, ObservationSources.Import, "Windows"),
            Fact.Verdict("id3", IPAddress.Parse("192.0.2.1"), accepted: false, 1700000002),
        };
        var entry = FactStreamEntry.Batch(facts, "mx1");
        var back = new List<Fact>();
        Assert.Equal(0, FactStreamEntry.Read(entry, back, out var problem));
        Assert.Null(problem);
        Assert.Equal(facts.Select(f => f with { Host = "mx1" }), back);

        // a line cut short in the middle, then a good one: the good one is kept, the bad one counted and named
        string text = entry[1].Value!;
        var garbled = new StackExchange.Redis.NameValueEntry[] { entry[0], new(FactStreamEntry.FactsField, "id9\to\t192.0.2.9\n" + text) };
        back.Clear();
        Assert.Equal(1, FactStreamEntry.Read(garbled, back, out problem));
        Assert.Equal(3, back.Count);
        Assert.Contains("id9", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_one_fact_entry_of_an_older_agent_still_reads()
    {
        var fact = Fact.Observation("id1", IPAddress.Parse("192.0.2.1"), "Linux 2.6", 1700000000, ObservationSources.P0f);
        var back = new List<Fact>();
        Assert.Equal(0, FactStreamEntry.Read(fact.ToStreamEntry("mx1"), back, out _));
        Assert.Equal(fact with { Host = "mx1" }, Assert.Single(back));
    }
}
