namespace DnsFp.Server.Bands;

/// <summary>
/// DESIGN.md "Ratios": a label with enough verdicts is rated by its own ratio; otherwise, for a label that carries a
/// SYN signature ("Linux 3.11 and newer [4:64:...]", DnsFp.Contract/SynSignature.cs), by its name's ratio (every label
/// of that name together); otherwise by its class's ratio (all labels of the class together); below the minimum
/// there too, it is unrated (127.0.0.3). So the levels are signature → name → class → unrated.
/// </summary>
public static class LabelRater
{
    public sealed record LabelCounts(int Id, string Label, string Class, long Accepted, long Rejected);

    public static Dictionary<int, LabelRating> Rate(IReadOnlyCollection<LabelCounts> labels, int minimumVerdicts)
    {
        var classes = labels
            .GroupBy(l => l.Class, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (Accepted: g.Sum(l => l.Accepted), Rejected: g.Sum(l => l.Rejected)), StringComparer.Ordinal);
        var names = labels
            .GroupBy(l => (l.Class, Name: Contract.SynSignature.NameOf(l.Label)))
            .ToDictionary(g => g.Key, g => (Accepted: g.Sum(l => l.Accepted), Rejected: g.Sum(l => l.Rejected)));
        var result = new Dictionary<int, LabelRating>(labels.Count);
        foreach (var l in labels)
        {
            if (l.Accepted + l.Rejected >= minimumVerdicts)
            {
                var basis = Contract.SynSignature.HasKey(l.Label) ? RatingBasis.Signature : RatingBasis.Label;
                result[l.Id] = new LabelRating(BandTable.Rated(l.Accepted, l.Rejected), basis, l.Accepted, l.Rejected);
                continue;
            }
            if (Contract.SynSignature.HasKey(l.Label) && names[(l.Class, Contract.SynSignature.NameOf(l.Label))] is var n && n.Accepted + n.Rejected >= minimumVerdicts)
            {
                result[l.Id] = new LabelRating(BandTable.Rated(n.Accepted, n.Rejected), RatingBasis.Name, n.Accepted, n.Rejected);
                continue;
            }
            var c = classes[l.Class];
            result[l.Id] = c.Accepted + c.Rejected >= minimumVerdicts
                ? new LabelRating(BandTable.Rated(c.Accepted, c.Rejected), RatingBasis.Class, c.Accepted, c.Rejected)
                : new LabelRating(BandTable.Unrated, RatingBasis.Unrated, l.Accepted, l.Rejected);
        }
        return result;
    }
}
