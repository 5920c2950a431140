using DnsFp.Contract;
using StackExchange.Redis;

namespace DnsFp.Server.Folding;

/// <summary>
/// The fold's memory of label → id: a label is looked up or created in Redis the first time a batch names it, then
/// never again. Ids never change once given, so the memory cannot go stale while Redis keeps its data; it is dropped
/// whenever the fold loses Redis (it may come back empty).
/// A new label is created in single-key steps, because the three label keys are in different hash slots of a Redis
/// Cluster and no script may combine them: take a number (INCR), claim the label with it (HSETNX: of two servers
/// racing, one wins and the other takes the winner's id; the loser's number is never used), then write its name
/// (HSETNX, so doing it again changes nothing). A crash between claim and name leaves an id without a name; the
/// next fold that resolves the label writes it. Followers learn a new label's name when a listing names its id.
/// </summary>
internal sealed class LabelIds
{
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);

    public void Clear() => _ids.Clear();

    /// <summary>The id of a label resolved before, or 0.</summary>
    public int Of(string label) => _ids.GetValueOrDefault(label);

    /// <summary>Resolves every label not known yet, pipelined; false when the table is full for some.</summary>
    public async Task<bool> ResolveAsync(IDatabase db, IEnumerable<(string Label, string Class)> labels)
    {
        var unknown = labels.Where(l => !_ids.ContainsKey(l.Label)).DistinctBy(l => l.Label).ToList();
        if (unknown.Count == 0) return true;
        var ids = await Task.WhenAll(unknown.Select(l => ResolveOneAsync(db, l.Label, l.Class)));
        for (int i = 0; i < ids.Length; i++) if (ids[i] > 0) _ids[unknown[i].Label] = ids[i];
        return ids.All(id => id > 0);
    }

    private static async Task<int> ResolveOneAsync(IDatabase db, string label, string cls)
    {
        var existing = await db.HashGetAsync(RedisKeys.LabelIds, label);
        int id = 0;
        if (existing.IsNull || !existing.TryParse(out id))
        {
            long taken = await db.StringIncrementAsync(RedisKeys.LabelNextId);
            if (taken > ListingRecord.MaxLabelId) return 0;
            if (await db.HashSetAsync(RedisKeys.LabelIds, label, taken, When.NotExists)) id = (int)taken;
            else if (await db.HashGetAsync(RedisKeys.LabelIds, label) is not { IsNull: false } winner || !winner.TryParse(out id)) return 0;
        }
        if (id <= 0) return 0;
        await db.HashSetAsync(RedisKeys.LabelNames, id, label + "\t" + cls, When.NotExists);
        return id;
    }
}
