namespace DnsFp.Server.Folding;

/// <summary>
/// Folds one fact into state atomically inside Redis. A verdict id already in today's or yesterday's seen-set (by
/// fold time, so a fact re-read after an agent crash is caught whatever time it carries) changes nothing; an
/// observation that repeats the current label changes nothing. Every change to an address or to the label list is
/// appended to the change stream the servers' indexes follow.
/// KEYS: 1 address bucket, 2 label ids, 3 label names, 4 label counter, 5 counts of the fact's day,
/// 6 today's seen-set, 7 changes, 8 yesterday's seen-set.
/// ARGV: 1 kind (o/a/r), 2 fact id, 3 address field bytes, 4 label, 5 class, 6 counts expiry seconds,
/// 7 changes max length, 8 the Unknown label, 9 seen-set expiry seconds.
/// Counts fields are "labelId:a" / "labelId:r" as <see cref="DnsFp.Contract.VerdictCounts"/> spells them.
/// Returns 0 (no change), 1 (address changed), 2 (verdict counted).
/// </summary>
internal static class FoldScript
{
    public const string Lua = """
        local function label_id(label, class)
          local id = redis.call('HGET', KEYS[2], label)
          if id then return id end
          id = tostring(redis.call('INCR', KEYS[4]))
          redis.call('HSET', KEYS[2], label, id)
          redis.call('HSET', KEYS[3], id, label .. '\t' .. class)
          redis.call('XADD', KEYS[7], 'MAXLEN', '~', ARGV[7], '*', 'n', id)
          return id
        end
        if ARGV[1] == 'o' then
          local id = label_id(ARGV[4], ARGV[5])
          if redis.call('HGET', KEYS[1], ARGV[3]) == id then return 0 end
          redis.call('HSET', KEYS[1], ARGV[3], id)
          redis.call('XADD', KEYS[7], 'MAXLEN', '~', ARGV[7], '*', 'ip', ARGV[3], 'l', id)
          return 1
        end
        if redis.call('SISMEMBER', KEYS[8], ARGV[2]) == 1 then return 0 end
        if redis.call('SADD', KEYS[6], ARGV[2]) == 0 then return 0 end
        redis.call('EXPIRE', KEYS[6], ARGV[9])
        local id = redis.call('HGET', KEYS[1], ARGV[3]) or label_id(ARGV[8], ARGV[8])
        redis.call('HINCRBY', KEYS[5], id .. ':' .. ARGV[1], 1)
        redis.call('EXPIRE', KEYS[5], ARGV[6])
        return 2
        """;
}
