using System.Text.Json;
using DnsFp.Server.Bands;
using DnsFp.Server.Ratings;

namespace DnsFp.Tests.Server.Ratings;

/// <summary>"stats --format csv|json": the same rows as the text, in forms programs read.</summary>
public sealed class StatsFormatTests
{
    private static readonly List<LabelRater.LabelCounts> Labels =
    [
        new(1, "AIX", "AIX", 3, 97),
        new(2, "Linux 2.2.x-3.x, \"odd\" name", "Linux", 81, 19),
        new(3, "FreeBSD", "FreeBSD", 4, 1),
    ];

    private static List<StatsRow> Rows(StatsRow.Grouping by) => StatsRow.Build(Labels, LabelRater.Rate(Labels, 50), by, 50);

    [Fact]
    public void Csv_quotes_what_needs_quoting_and_gives_every_row()
    {
        var lines = StatsTable.Render(Rows(StatsRow.Grouping.Label), StatsRow.Grouping.Label, 7, StatsTable.Format.Csv).Split("\r\n");
        Assert.Equal("label,class,accepted,rejected,spam_ratio,band", lines[0]);
        Assert.Equal("AIX,AIX,3,97,0.97,127.0.0.19", lines[1]);
        Assert.Equal("\"Linux 2.2.x-3.x, \"\"odd\"\" name\",Linux,81,19,0.19,127.0.0.11", lines[2]);
        Assert.Equal("FreeBSD,FreeBSD,4,1,0.2,127.0.0.3", lines[3]);         // 5 verdicts: unrated
        Assert.Equal(4, lines.Length);
    }

    [Fact]
    public void Json_has_the_rows_the_window_and_the_totals()
    {
        var root = JsonDocument.Parse(StatsTable.Render(Rows(StatsRow.Grouping.Class), StatsRow.Grouping.Class, 7, StatsTable.Format.Json)).RootElement;
        Assert.Equal(7, root.GetProperty("windowDays").GetInt32());
        Assert.Equal("class", root.GetProperty("by").GetString());
        var rows = root.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(["AIX", "Linux", "FreeBSD"], rows.Select(r => r.GetProperty("name").GetString()));
        Assert.Equal(0.97, rows[0].GetProperty("spamRatio").GetDouble());
        Assert.Equal("127.0.0.19", rows[0].GetProperty("band").GetString());
        Assert.Equal("127.0.0.3", rows[2].GetProperty("band").GetString());   // below Bands:MinimumVerdicts
        Assert.Equal(88, root.GetProperty("total").GetProperty("accepted").GetInt64());
        Assert.Equal(117, root.GetProperty("total").GetProperty("rejected").GetInt64());
    }
}
