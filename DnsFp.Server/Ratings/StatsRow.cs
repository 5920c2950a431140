using DnsFp.Server.Bands;

namespace DnsFp.Server.Ratings;

/// <summary>
/// One row of the article's table: an OS class, a label or a SYN signature key, its verdicts and the band they give
/// (for a label, its rating's band; for a class, the band its own counts give, or unrated below Bands:MinimumVerdicts;
/// none for a signature key). The stats command in every format and the status page both read these rows.
/// </summary>
internal sealed record StatsRow(string Name, string Class, long Accepted, long Rejected, uint? Band)
{
    public long Total => Accepted + Rejected;

    /// <summary>Rejected / total, 0 for a row with no verdicts.</summary>
    public double SpamRatio => Total == 0 ? 0 : (double)Rejected / Total;

    public enum Grouping { Class, Label, Signature }

    /// <summary>The rows with any verdicts, largest first (then by name).</summary>
    public static List<StatsRow> Build(IReadOnlyCollection<LabelRater.LabelCounts> labels, Dictionary<int, LabelRating> ratings, Grouping by, int minimumVerdicts)
    {
        var rows = by switch
        {
            Grouping.Label => labels.Select(l => new StatsRow(l.Label, l.Class, l.Accepted, l.Rejected, ratings[l.Id].Band)),
            Grouping.Signature => labels.GroupBy(l => Contract.SynSignature.KeyOfLabel(l.Label) ?? "(none)", StringComparer.Ordinal).Select(g =>
                new StatsRow(g.Key, string.Join(", ", g.Select(l => Contract.SynSignature.NameOf(l.Label)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)),
                    g.Sum(l => l.Accepted), g.Sum(l => l.Rejected), null)),
            _ => labels.GroupBy(l => l.Class, StringComparer.Ordinal).Select(g =>
            {
                long accepted = g.Sum(l => l.Accepted), rejected = g.Sum(l => l.Rejected);
                return new StatsRow(g.Key, g.Key, accepted, rejected, accepted + rejected >= minimumVerdicts ? BandTable.Rated(accepted, rejected) : BandTable.Unrated);
            }),
        };
        return [.. rows.Where(r => r.Total > 0).OrderByDescending(r => r.Total).ThenBy(r => r.Name, StringComparer.Ordinal)];
    }
}
