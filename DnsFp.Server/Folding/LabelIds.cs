using DnsFp.Contract;
using StackExchange.Redis;

namespace DnsFp.Server.Folding;

/// <summary>
/// The fold's memory of label → id (<see cref="LabelScript"/>): a label is looked up or created in Redis the first time
/// a batch names it, then never again. Ids never change once given, so the memory cannot go stale while Redis keeps its
/// data; it is dropped whenever the fold loses Redis (it may come back empty).
/// </summary>
internal sealed class LabelIds
{
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);

    public void Clear() => _ids.Clear();

    /// <summary>The id of a label resolved before, or 0.</summary>
    public int Of(string label) => _ids.GetValueOrDefault(label);

    /// <summary>Resolves every label not known yet, all in one pipelined round; false when the table is full for some.</summary>
    public async Task<bool> ResolveAsync(IDatabase db, IEnumerable<(string Label, string Class)> labels, TimeSpan changeRetention)
    {
        var unknown = labels.Where(l => !_ids.ContainsKey(l.Label)).DistinctBy(l => l.Label).ToList();
        if (unknown.Count == 0) return true;
        var calls = unknown.Select(l => db.ScriptEvaluateAsync(LabelScript.Lua,
            [RedisKeys.LabelIds, RedisKeys.LabelNames, RedisKeys.LabelNextId, RedisKeys.Changes, RedisKeys.ChangesSequence],
            [l.Label, l.Class, (long)changeRetention.TotalMilliseconds])).ToArray();
        bool full = false;
        for (int i = 0; i < calls.Length; i++)
        {
            int id = (int)await calls[i];
            if (id > 0) _ids[unknown[i].Label] = id; else full = true;
        }
        return !full;
    }
}
