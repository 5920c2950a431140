using DnsFp.Server.Bands;

namespace DnsFp.Server.Index;

/// <summary>Label id → answer (band + TXT). Immutable; the follower builds a new one when ratings change and swaps it in.</summary>
internal sealed class LabelTable
{
    private readonly ListingAnswer?[] _answers;

    public LabelTable(ListingAnswer?[] answers, IReadOnlyDictionary<int, (string Label, string Class)> names)
    {
        _answers = answers; Names = names;
    }

    public static LabelTable Empty { get; } = new([], new Dictionary<int, (string, string)>());

    public IReadOnlyDictionary<int, (string Label, string Class)> Names { get; }

    public int Count => Names.Count;

    public bool Knows(int labelId) => (uint)labelId < (uint)_answers.Length && _answers[labelId] is not null;

    public ListingAnswer? Get(int labelId) => (uint)labelId < (uint)_answers.Length ? _answers[labelId] : null;

    /// <summary>The answer of the RFC 5782 test entry 127.0.0.2, the same in every zone.</summary>
    public static ListingAnswer TestEntry { get; } = new(BandTable.TestEntry, TxtFormat.Rdata(TxtFormat.TestEntryText));

    public static LabelTable Build(IReadOnlyCollection<LabelRater.LabelCounts> labels, Dictionary<int, LabelRating> ratings)
    {
        int max = labels.Count == 0 ? -1 : labels.Max(l => l.Id);
        var answers = new ListingAnswer?[max + 1];
        var names = new Dictionary<int, (string, string)>(labels.Count);
        foreach (var l in labels)
        {
            var rating = ratings[l.Id];
            answers[l.Id] = new ListingAnswer(rating.Band, TxtFormat.Rdata(TxtFormat.Text(l.Label, l.Class, rating)));
            names[l.Id] = (l.Label, l.Class);
        }
        return new LabelTable(answers, names);
    }
}
