using DnsFp.Contract;
using DnsFp.Server.Follower;

namespace DnsFp.Server.Folding;

/// <summary>
/// Folds facts into state atomically inside Redis. A verdict id already in today's or yesterday's seen-set (by
/// fold time, so a fact re-read after an agent crash is caught whatever time it carries) changes nothing. An
/// observation updates the address's <see cref="ListingRecord"/> (label, last-seen day, sources, first seen); one that
/// changes nothing (same label, day and sources) writes nothing. Every change to an address or to the label list is
/// appended to the change stream the servers' indexes follow.
/// KEYS: 1 address bucket, 2 label ids, 3 label names, 4 label counter, 5 counts of the fact's day,
/// 6 today's seen-set, 7 changes, 8 yesterday's seen-set.
/// ARGV: 1 kind (o/a/r), 2 fact id, 3 address field, 4 label, 5 class, 6 counts expiry seconds,
/// 7 changes max length, 8 the Unknown label, 9 seen-set expiry seconds, 10 the raw address bytes (for the change
/// stream), 11 the fact's day number, 12 the source bit, 13 today's day number.
/// Counts fields are "labelId:a" / "labelId:r" as <see cref="VerdictCounts"/> spells them.
/// Returns 0 (no change), 1 (address changed), 2 (verdict counted), 3 (label table full: more than 8,191 labels).
/// <see cref="BatchLua"/> folds many facts in one call (issue #13: one round trip and one script run per batch, not
/// per fact): fact i takes KEYS 8i+1..8i+8 and ARGV 13i+1..13i+13 as above, in order, and the call returns the array
/// of their results.
/// </summary>
internal static class FoldScript
{
    public const int KeysPerFact = 8, ArgsPerFact = 13;

    private static readonly string Body = $$"""
        local function label_id(label, class)
          local id = redis.call('HGET', KEYS[2], label)
          if id then return tonumber(id) end
          id = redis.call('INCR', KEYS[4])
          if id > {{ListingRecord.MaxLabelId}} then return nil end
          redis.call('HSET', KEYS[2], label, id)
          redis.call('HSET', KEYS[3], id, label .. '\t' .. class)
          redis.call('XADD', KEYS[7], 'MAXLEN', '~', ARGV[7], '*', '{{ChangeFields.NewLabel}}', id)
          return id
        end
        if ARGV[1] == 'o' then
          local id = label_id(ARGV[4], ARGV[5])
          if not id then return 3 end
          local old = redis.call('HGET', KEYS[1], ARGV[3])
          local new = record_observe(old, id, tonumber(ARGV[11]), tonumber(ARGV[12]), tonumber(ARGV[13]))
          if old and tonumber(old) == new then return 0 end
          redis.call('HSET', KEYS[1], ARGV[3], new)
          redis.call('XADD', KEYS[7], 'MAXLEN', '~', ARGV[7], '*', '{{ChangeFields.Address}}', ARGV[10], '{{ChangeFields.Record}}', new)
          return 1
        end
        if redis.call('SISMEMBER', KEYS[8], ARGV[2]) == 1 then return 0 end
        if redis.call('SADD', KEYS[6], ARGV[2]) == 0 then return 0 end
        redis.call('EXPIRE', KEYS[6], ARGV[9])
        local record = redis.call('HGET', KEYS[1], ARGV[3])
        local id
        if record then id = bit.band(tonumber(record), {{ListingRecord.MaxLabelId}}) else id = label_id(ARGV[8], ARGV[8]) end
        if not id then return 3 end
        redis.call('HINCRBY', KEYS[5], id .. ':' .. ARGV[1], 1)
        redis.call('EXPIRE', KEYS[5], ARGV[6])
        return 2
        """;

    // KEYS and ARGV are the parameters of fold(), so the body reads one fact's slice as if it were the whole call
    public static readonly string BatchLua = ListingRecordLua.Functions + "\nlocal function fold(KEYS, ARGV)\n" + Body + $$"""

        end
        local results = {}
        for f = 0, #KEYS / {{KeysPerFact}} - 1 do
          local k, a = {}, {}
          for i = 1, {{KeysPerFact}} do k[i] = KEYS[f * {{KeysPerFact}} + i] end
          for i = 1, {{ArgsPerFact}} do a[i] = ARGV[f * {{ArgsPerFact}} + i] end
          results[f + 1] = fold(k, a)
        end
        return results
        """;
}
