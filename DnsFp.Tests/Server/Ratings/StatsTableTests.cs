using DnsFp.Server.Bands;
using DnsFp.Server.Ratings;

namespace DnsFp.Tests.Server.Ratings;

/// <summary>"stats --by signature": one row per SYN signature key with the names seen for it.</summary>
public sealed class StatsTableTests
{
    [Fact]
    public void By_signature_sums_the_names_of_one_key_and_lists_them()
    {
        const string Key = "4:64:0:*:mss*20,7:mss,sok,ts,nop,ws:df,id+:0";
        var labels = new List<LabelRater.LabelCounts>
        {
            new(1, $"Linux 3.11 and newer [{Key}]", "Linux", 10, 30),
            new(2, $"Linux 2.2.x-3.x [{Key}]", "Linux", 5, 5),         // p0f's older name for the same stack
            new(3, "unnamed [6:64:0:*:65535,6:mss:flow:0]", "Unknown", 1, 9),
            new(4, "AIX", "AIX", 3, 97),                                // from pf: no signature
        };
        var text = StatsTable.Render(labels, LabelRater.Rate(labels, 50), StatsRow.Grouping.Signature, 7);
        var row = Assert.Single(text.Split('\n'), l => l.StartsWith(Key, StringComparison.Ordinal));
        Assert.Matches(@"\s+15\s+35\s+70\.0%\s+Linux 2\.2\.x-3\.x, Linux 3\.11 and newer\s*$", row);
        Assert.Contains(text.Split('\n'), l => l.StartsWith("(none)", StringComparison.Ordinal) && l.Contains("AIX", StringComparison.Ordinal));
        Assert.StartsWith("SYN signature", text, StringComparison.Ordinal);
    }
}
