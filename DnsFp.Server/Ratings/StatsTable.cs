using System.Globalization;
using System.Text;
using DnsFp.Server.Bands;

namespace DnsFp.Server.Ratings;

/// <summary>Renders the article's table: one row per OS class (or label) with accepted, rejected and spam ratio, largest first.</summary>
internal static class StatsTable
{
    public static string Render(IReadOnlyCollection<LabelRater.LabelCounts> labels, Dictionary<int, LabelRating> ratings, bool byLabel, int windowDays)
    {
        var rows = byLabel
            ? labels.Select(l => (Name: l.Label, Class: l.Class, l.Accepted, l.Rejected, Band: BandTable.ToText(ratings[l.Id].Band)))
            : labels.GroupBy(l => l.Class, StringComparer.Ordinal).Select(g =>
                (Name: g.Key, Class: g.Key, Accepted: g.Sum(l => l.Accepted), Rejected: g.Sum(l => l.Rejected), Band: ""));
        var sorted = rows.Where(r => r.Accepted + r.Rejected > 0)
            .OrderByDescending(r => r.Accepted + r.Rejected).ThenBy(r => r.Name, StringComparer.Ordinal).ToList();

        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        string title = byLabel ? "OS label" : "OS class";
        int width = Math.Max(title.Length, sorted.Count == 0 ? 0 : sorted.Max(r => r.Name.Length));
        sb.Append(inv, $"{title.PadRight(width)}  {"accepted",10}  {"rejected",10}  {"spam",7}");
        if (byLabel) sb.Append("  class       band");
        sb.AppendLine();
        foreach (var r in sorted)
        {
            long total = r.Accepted + r.Rejected;
            sb.Append(inv, $"{r.Name.PadRight(width)}  {r.Accepted,10}  {r.Rejected,10}  {100.0 * r.Rejected / total,6:F1}%");
            if (byLabel) sb.Append(inv, $"  {r.Class,-10}  {r.Band}");
            sb.AppendLine();
        }
        long accepted = sorted.Sum(r => r.Accepted), rejected = sorted.Sum(r => r.Rejected);
        sb.Append(inv, $"{"total".PadRight(width)}  {accepted,10}  {rejected,10}  {(accepted + rejected == 0 ? 0 : 100.0 * rejected / (accepted + rejected)),6:F1}%");
        sb.AppendLine();
        sb.Append(inv, $"(verdicts of the last {windowDays} days, UTC)");
        return sb.ToString();
    }
}
