using DnsFp.Contract;
using StackExchange.Redis;

namespace DnsFp.Server.Follower;

/// <summary>
/// How every writer appends to the change feed (<see cref="RedisKeys.Changes"/>), in one place so the feed keeps two
/// promises the followers rely on (issue #13):
/// <list type="bullet">
/// <item>every entry carries <see cref="SequenceField"/>, a number one higher than the entry before it
/// (<see cref="RedisKeys.ChangesSequence"/>, taken in the same script as the XADD), so a follower that finds a jump
/// knows it missed entries, and reloads instead of answering from an index with holes;</item>
/// <item>the feed is trimmed by age (XADD ... MINID ~, by Redis' own clock), not to a fixed length: it holds what a
/// server that lags by up to the retention can need, and costs nothing in steady state. A server further behind
/// (or new, or back from an outage) loads the index from the listings instead, which takes about a second per
/// million listings.</item>
/// </list>
/// Address changes are packed: field <see cref="ChangeFields.Packed4"/> holds 8 bytes per IPv4 change (address,
/// then the record, both big-endian; record 0 = removed), <see cref="ChangeFields.Packed6"/> 20 bytes per IPv6
/// change, so a batch of hundreds of changes is one entry of a few KB rather than hundreds of entries.
/// </summary>
internal static class ChangeFeed
{
    public const string SequenceField = "q";

    /// <summary>How long entries stay in the feed unless Fold:ChangeFeedAge says otherwise.</summary>
    public static readonly TimeSpan DefaultRetention = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Lua: <c>feed_add(feed, seq, retention_ms, fields)</c> appends one entry with the next sequence number and trims
    /// what is older than the retention; <c>feed_pack(address, record)</c> is one packed change, and
    /// <c>feed_add_changes(feed, seq, retention_ms, packed4, packed6, fields)</c> appends the packed IPv4 and IPv6
    /// changes with any other fields as one entry, or nothing when there is nothing to say.
    /// </summary>
    public static readonly string Functions = $$"""
        local function feed_add(feed, seq, retention_ms, fields)
          local t = redis.call('TIME')
          local minid = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) - retention_ms
          local args = {feed, 'MINID', '~', minid, '*', 'q', redis.call('INCR', seq)}
          for i = 1, #fields do args[#args + 1] = fields[i] end
          return redis.call('XADD', unpack(args))
        end
        local function feed_pack(address, record)
          return address .. struct.pack('>i4', record)
        end
        local function feed_add_changes(feed, seq, retention_ms, packed4, packed6, fields)
          if #packed4 > 0 then fields[#fields + 1] = '{{ChangeFields.Packed4}}'; fields[#fields + 1] = table.concat(packed4) end
          if #packed6 > 0 then fields[#fields + 1] = '{{ChangeFields.Packed6}}'; fields[#fields + 1] = table.concat(packed6) end
          if #fields > 0 then feed_add(feed, seq, retention_ms, fields) end
        end
        """;

    /// <summary>KEYS 1 feed, 2 sequence; ARGV 1 retention in ms, then field, value, field, value...</summary>
    private static readonly string AppendLua = Functions + """

        local fields = {}
        for i = 2, #ARGV do fields[#fields + 1] = ARGV[i] end
        return feed_add(KEYS[1], KEYS[2], tonumber(ARGV[1]), fields)
        """;

    /// <summary>KEYS 1 feed; ARGV 1 retention in ms. Trims by age without adding (an idle feed empties too).</summary>
    private const string TrimLua = """
        local t = redis.call('TIME')
        return redis.call('XTRIM', KEYS[1], 'MINID', '~', tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) - tonumber(ARGV[1]))
        """;

    public static Task AppendAsync(IDatabase db, TimeSpan retention, params NameValueEntry[] fields)
    {
        var args = new RedisValue[1 + fields.Length * 2];
        args[0] = (long)retention.TotalMilliseconds;
        for (int i = 0; i < fields.Length; i++) { args[1 + 2 * i] = fields[i].Name; args[2 + 2 * i] = fields[i].Value; }
        return db.ScriptEvaluateAsync(AppendLua, [RedisKeys.Changes, RedisKeys.ChangesSequence], args);
    }

    /// <summary>One address change (0 = removed) as a packed entry's fields.</summary>
    public static NameValueEntry AddressChange(byte[] address, int record)
    {
        var packed = new byte[address.Length + 4];
        address.CopyTo(packed, 0);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(packed.AsSpan(address.Length), record);
        return new(address.Length == 4 ? ChangeFields.Packed4 : ChangeFields.Packed6, packed);
    }

    public static Task TrimAsync(IDatabase db, TimeSpan retention) =>
        db.ScriptEvaluateAsync(TrimLua, [RedisKeys.Changes], [(long)retention.TotalMilliseconds]);
}
