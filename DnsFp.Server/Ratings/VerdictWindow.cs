using System.Globalization;
using DnsFp.Contract;
using DnsFp.Server.Bands;
using StackExchange.Redis;

namespace DnsFp.Server.Ratings;

/// <summary>
/// Reads every label and its verdict counts over the sliding window (today and the days before it, UTC) from Redis.
/// The server's ratings and the stats command both use it, so they always agree. A day's counts are spread over the
/// 64 shards' hashes (each fold call counts into its own shard's, so on a Cluster it touches one slot) and, for days
/// before the shards, one unsharded hash: the window is their sum, read in one pipelined round.
/// </summary>
internal static class VerdictWindow
{
    public static async Task<List<LabelRater.LabelCounts>> ReadAsync(IDatabase db, int windowDays, DateOnly today)
    {
        var namesTask = db.HashGetAllAsync(RedisKeys.LabelNames);
        var keys = Enumerable.Range(0, windowDays).Select(d => today.AddDays(-d))
            .SelectMany(day => Enumerable.Range(0, AddressBuckets.ShardCount).Select(s => RedisKeys.Counts(s, day)).Append(RedisKeys.LegacyCounts(day)));
        var dayTasks = keys.Select(k => db.HashGetAllAsync(k)).ToArray();
        var names = await namesTask;
        var days = await Task.WhenAll(dayTasks);

        var accepted = new Dictionary<int, long>();
        var rejected = new Dictionary<int, long>();
        foreach (var day in days)
        {
            foreach (var entry in day)
            {
                if (!VerdictCounts.TryParseField(entry.Name!, out int id, out bool isAccepted) || !entry.Value.TryParse(out long count)) continue;
                var target = isAccepted ? accepted : rejected;
                target[id] = target.GetValueOrDefault(id) + count;
            }
        }

        var result = new List<LabelRater.LabelCounts>(names.Length);
        foreach (var n in names)
        {
            if (!int.TryParse(n.Name.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out int id)) continue;
            string text = n.Value.ToString();
            int tab = text.IndexOf('\t', StringComparison.Ordinal);
            string label = tab < 0 ? text : text[..tab];
            string cls = tab < 0 ? OsLabel.ClassOf(label) : text[(tab + 1)..];
            result.Add(new LabelRater.LabelCounts(id, label, cls, accepted.GetValueOrDefault(id), rejected.GetValueOrDefault(id)));
        }
        return result;
    }
}
