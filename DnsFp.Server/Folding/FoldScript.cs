using DnsFp.Contract;
using DnsFp.Server.Follower;

namespace DnsFp.Server.Folding;

/// <summary>
/// Folds a batch of facts into state atomically inside Redis: one script call for hundreds of facts (issue #13), each
/// fact exactly as if alone, in order. An observation updates the address's <see cref="ListingRecord"/> (label,
/// last-seen day, sources, first seen); one that changes nothing writes nothing. A verdict id already in today's or
/// yesterday's seen-set (by fold time, so a fact re-read after a crash is caught whatever time it carries) changes
/// nothing; otherwise it is counted against the address's label (Unknown when the address is not listed). All the
/// batch's address changes go to the change feed as one packed entry (<see cref="ChangeFeed"/>), counted verdicts as
/// one "c" entry. Label ids are resolved before the call (<see cref="LabelIds"/>), so the script never touches
/// the label tables.
/// All keys are of one shard (one Cluster slot). KEYS: 1 the shard's change feed, 2 its sequence, 3 today's seen-set,
/// 4 yesterday's seen-set, then the m counts keys of the
/// days the verdicts fall on, then one address bucket per fact, in fact order.
/// ARGV: 1 m, 2 change retention ms, 3 seen-set expiry seconds, 4 counts expiry seconds, 5 today's day number,
/// 6 the Unknown label's id (0 when the label table was full: such verdicts are not counted); then <see cref="ArgsPerFact"/> per fact: kind (o/a/r), bucket field, then for an
/// observation label id, day number, source bit, raw address bytes; for a verdict fact id, the index (1..m) of its
/// counts key, and two empty values.
/// Counts fields are "labelId:a" / "labelId:r" as <see cref="VerdictCounts"/> spells them.
/// Returns {address changes, verdicts counted}.
/// </summary>
internal static class FoldScript
{
    public const int FixedKeys = 4, FixedArgs = 6, ArgsPerFact = 6;

    public static readonly string BatchLua = ListingRecordLua.Functions + "\n" + ChangeFeed.Functions + $$"""

        local m = tonumber(ARGV[1])
        local today, unknown = tonumber(ARGV[5]), tonumber(ARGV[6])
        local packed4, packed6, counted = {}, {}, {}
        local changed, verdicts = 0, 0
        for f = 0, (#ARGV - {{FixedArgs}}) / {{ArgsPerFact}} - 1 do
          local a = {{FixedArgs}} + f * {{ArgsPerFact}}
          local kind, bucket, field = ARGV[a + 1], KEYS[{{FixedKeys}} + m + f + 1], ARGV[a + 2]
          if kind == 'o' then
            local old = redis.call('HGET', bucket, field)
            local new = record_observe(old, tonumber(ARGV[a + 3]), tonumber(ARGV[a + 4]), tonumber(ARGV[a + 5]), today)
            if not (old and tonumber(old) == new) then
              redis.call('HSET', bucket, field, new)
              local address = ARGV[a + 6]
              if #address == 4 then packed4[#packed4 + 1] = feed_pack(address, new) else packed6[#packed6 + 1] = feed_pack(address, new) end
              changed = changed + 1
            end
          elseif redis.call('SISMEMBER', KEYS[4], ARGV[a + 3]) == 0 and redis.call('SADD', KEYS[3], ARGV[a + 3]) == 1 then
            local record = redis.call('HGET', bucket, field)
            local label = record and bit.band(tonumber(record), {{ListingRecord.MaxLabelId}}) or unknown
            if label ~= 0 then                                    -- 0: Unknown has no id (label table full)
              local k = tonumber(ARGV[a + 4])
              local counts = counted[k] or {}
              counted[k] = counts
              local name = label .. ':' .. kind
              counts[name] = (counts[name] or 0) + 1
              verdicts = verdicts + 1
            end
          end
        end
        if verdicts > 0 then
          redis.call('EXPIRE', KEYS[3], ARGV[3])
          for k, counts in pairs(counted) do
            for name, n in pairs(counts) do redis.call('HINCRBY', KEYS[{{FixedKeys}} + k], name, n) end
            redis.call('EXPIRE', KEYS[{{FixedKeys}} + k], ARGV[4])
          end
        end
        local fields = {}
        if verdicts > 0 then fields = {'{{ChangeFields.VerdictCounted}}', verdicts} end
        feed_add_changes(KEYS[1], KEYS[2], tonumber(ARGV[2]), packed4, packed6, fields)
        return {changed, verdicts}
        """;
}
