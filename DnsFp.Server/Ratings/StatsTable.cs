using System.Globalization;
using System.Text;
using DnsFp.Server.Bands;

namespace DnsFp.Server.Ratings;

/// <summary>
/// Renders the article's table: one row per OS class, label, or SYN signature key (with the names seen for it), with
/// accepted, rejected and spam ratio, largest first.
/// </summary>
internal static class StatsTable
{
    public enum Grouping { Class, Label, Signature }

    public static string Render(IReadOnlyCollection<LabelRater.LabelCounts> labels, Dictionary<int, LabelRating> ratings, Grouping by, int windowDays)
    {
        var rows = by switch
        {
            Grouping.Label => labels.Select(l => (Name: l.Label, Class: l.Class, l.Accepted, l.Rejected, Band: BandTable.ToText(ratings[l.Id].Band))),
            Grouping.Signature => labels.GroupBy(l => Contract.SynSignature.KeyOfLabel(l.Label) ?? "(none)", StringComparer.Ordinal).Select(g =>
                (Name: g.Key, Class: string.Join(", ", g.Select(l => Contract.SynSignature.NameOf(l.Label)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)),
                 Accepted: g.Sum(l => l.Accepted), Rejected: g.Sum(l => l.Rejected), Band: "")),
            _ => labels.GroupBy(l => l.Class, StringComparer.Ordinal).Select(g =>
                (Name: g.Key, Class: g.Key, Accepted: g.Sum(l => l.Accepted), Rejected: g.Sum(l => l.Rejected), Band: "")),
        };
        var sorted = rows.Where(r => r.Accepted + r.Rejected > 0)
            .OrderByDescending(r => r.Accepted + r.Rejected).ThenBy(r => r.Name, StringComparer.Ordinal).ToList();

        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        string title = by switch { Grouping.Label => "OS label", Grouping.Signature => "SYN signature", _ => "OS class" };
        int width = Math.Max(title.Length, sorted.Count == 0 ? 0 : sorted.Max(r => r.Name.Length));
        sb.Append(inv, $"{title.PadRight(width)}  {"accepted",10}  {"rejected",10}  {"spam",7}");
        if (by == Grouping.Label) sb.Append("  class       band");
        if (by == Grouping.Signature) sb.Append("  names seen");
        sb.AppendLine();
        foreach (var r in sorted)
        {
            long total = r.Accepted + r.Rejected;
            sb.Append(inv, $"{r.Name.PadRight(width)}  {r.Accepted,10}  {r.Rejected,10}  {100.0 * r.Rejected / total,6:F1}%");
            if (by == Grouping.Label) sb.Append(inv, $"  {r.Class,-10}  {r.Band}");
            if (by == Grouping.Signature) sb.Append(inv, $"  {r.Class}");
            sb.AppendLine();
        }
        long accepted = sorted.Sum(r => r.Accepted), rejected = sorted.Sum(r => r.Rejected);
        sb.Append(inv, $"{"total".PadRight(width)}  {accepted,10}  {rejected,10}  {(accepted + rejected == 0 ? 0 : 100.0 * rejected / (accepted + rejected)),6:F1}%");
        sb.AppendLine();
        sb.Append(inv, $"(verdicts of the last {windowDays} days, UTC)");
        return sb.ToString();
    }
}
