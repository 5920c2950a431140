using System.Globalization;
using System.Text;
using System.Text.Json;
using DnsFp.Server.Bands;

namespace DnsFp.Server.Ratings;

/// <summary>
/// Renders the article's table (<see cref="StatsRow"/>s): as aligned text for people, CSV for spreadsheets, JSON for
/// programs (the status page's tests compare it with the page).
/// </summary>
internal static class StatsTable
{
    public enum Format { Text, Csv, Json }

    public static string Render(IReadOnlyCollection<LabelRater.LabelCounts> labels, Dictionary<int, LabelRating> ratings, StatsRow.Grouping by, int windowDays, int minimumVerdicts = 0) =>
        Render(StatsRow.Build(labels, ratings, by, minimumVerdicts), by, windowDays, Format.Text);

    public static string Render(List<StatsRow> rows, StatsRow.Grouping by, int windowDays, Format format) => format switch
    {
        Format.Csv => Csv(rows, by),
        Format.Json => Json(rows, by, windowDays),
        _ => Text(rows, by, windowDays),
    };

    public static string Title(StatsRow.Grouping by) => by switch { StatsRow.Grouping.Label => "OS label", StatsRow.Grouping.Signature => "SYN signature", _ => "OS class" };

    public static string GroupingName(StatsRow.Grouping by) => by switch { StatsRow.Grouping.Label => "label", StatsRow.Grouping.Signature => "signature", _ => "class" };

    private static string Text(List<StatsRow> rows, StatsRow.Grouping by, int windowDays)
    {
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        string title = Title(by);
        int width = Math.Max(title.Length, rows.Count == 0 ? 0 : rows.Max(r => r.Name.Length));
        sb.Append(inv, $"{title.PadRight(width)}  {"accepted",10}  {"rejected",10}  {"spam",7}");
        if (by == StatsRow.Grouping.Label) sb.Append("  class       band");
        if (by == StatsRow.Grouping.Signature) sb.Append("  names seen");
        sb.AppendLine();
        foreach (var r in rows)
        {
            sb.Append(inv, $"{r.Name.PadRight(width)}  {r.Accepted,10}  {r.Rejected,10}  {100.0 * r.SpamRatio,6:F1}%");
            if (by == StatsRow.Grouping.Label) sb.Append(inv, $"  {r.Class,-10}  {BandTable.ToText(r.Band!.Value)}");
            if (by == StatsRow.Grouping.Signature) sb.Append(inv, $"  {r.Class}");
            sb.AppendLine();
        }
        long accepted = rows.Sum(r => r.Accepted), rejected = rows.Sum(r => r.Rejected);
        sb.Append(inv, $"{"total".PadRight(width)}  {accepted,10}  {rejected,10}  {(accepted + rejected == 0 ? 0 : 100.0 * rejected / (accepted + rejected)),6:F1}%");
        sb.AppendLine();
        sb.Append(inv, $"(verdicts of the last {windowDays} days, UTC)");
        return sb.ToString();
    }

    /// <summary>RFC 4180: a header line, then one line per row; fields with a comma, quote or line break are quoted.</summary>
    private static string Csv(List<StatsRow> rows, StatsRow.Grouping by)
    {
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        sb.Append(GroupingName(by)).Append(by == StatsRow.Grouping.Signature ? ",names" : ",class").Append(",accepted,rejected,spam_ratio,band\r\n");
        foreach (var r in rows)
        {
            sb.Append(Field(r.Name)).Append(',').Append(Field(r.Class)).Append(',')
              .Append(inv, $"{r.Accepted},{r.Rejected},{r.SpamRatio:0.####},")
              .Append(r.Band is { } b ? BandTable.ToText(b) : "").Append("\r\n");
        }
        return sb.ToString().TrimEnd('\r', '\n');
    }

    private static string Field(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static string Json(List<StatsRow> rows, StatsRow.Grouping by, int windowDays)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            // written by hand rather than serialised: no reflection, so the native (AOT) build keeps working
            w.WriteStartObject();
            w.WriteNumber("windowDays", windowDays);
            w.WriteString("by", GroupingName(by));
            w.WriteStartArray("rows");
            foreach (var r in rows)
            {
                w.WriteStartObject();
                w.WriteString("name", r.Name);
                w.WriteString(by == StatsRow.Grouping.Signature ? "names" : "class", r.Class);
                w.WriteNumber("accepted", r.Accepted);
                w.WriteNumber("rejected", r.Rejected);
                w.WriteNumber("spamRatio", Math.Round(r.SpamRatio, 6));
                if (r.Band is { } b) w.WriteString("band", BandTable.ToText(b));
                else w.WriteNull("band");
                w.WriteEndObject();
            }
            w.WriteEndArray();
            long accepted = rows.Sum(r => r.Accepted), rejected = rows.Sum(r => r.Rejected);
            w.WriteStartObject("total");
            w.WriteNumber("accepted", accepted);
            w.WriteNumber("rejected", rejected);
            w.WriteNumber("spamRatio", accepted + rejected == 0 ? 0 : Math.Round((double)rejected / (accepted + rejected), 6));
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
