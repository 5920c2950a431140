using DnsFp.Contract;
using DnsFp.Server.Follower;

namespace DnsFp.Server.Folding;

/// <summary>
/// The id of a label, created atomically when it is new (and announced on the change feed so every server learns
/// its name). Labels are few (hundreds), so the fold resolves them once per label and remembers them
/// (<see cref="LabelIds"/>), and <see cref="FoldScript"/> only sees ids.
/// KEYS: 1 label ids, 2 label names, 3 next id, 4 changes, 5 changes sequence; ARGV: 1 label, 2 class, 3 change
/// retention ms. Returns the id, or 0 when the table is full (more than 8,191 labels).
/// </summary>
internal static class LabelScript
{
    public static readonly string Lua = ChangeFeed.Functions + $$"""

        local id = redis.call('HGET', KEYS[1], ARGV[1])
        if id then return tonumber(id) end
        id = redis.call('INCR', KEYS[3])
        if id > {{ListingRecord.MaxLabelId}} then return 0 end
        redis.call('HSET', KEYS[1], ARGV[1], id)
        redis.call('HSET', KEYS[2], id, ARGV[1] .. '\t' .. ARGV[2])
        feed_add(KEYS[4], KEYS[5], tonumber(ARGV[3]), {'{{ChangeFields.NewLabel}}', id})
        return id
        """;
}
