using DnsFp.Contract;
using StackExchange.Redis;

namespace DnsFp.Server.Follower;

/// <summary>
/// How every writer appends to the change feeds, in one place so each feed keeps two promises the followers rely on
/// (issue #13). There are 65 feeds (<see cref="All"/>): one per shard (<see cref="RedisKeys.ShardChanges"/>), written
/// by the fold and sweep scripts in the same call as the listings they change, so on a Redis Cluster a feed and its
/// data are in one slot; and the global one (<see cref="RedisKeys.Changes"/>) for what belongs to no shard
/// (delistings, exclusions). Each feed:
/// <list type="bullet">
/// <item>every entry carries <see cref="SequenceField"/>, a number one higher than the entry before it in that feed
/// (its own counter, in its slot, taken in the same script as the XADD), so a follower that finds a jump
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

    /// <summary>A change feed: its stream and the counter of its sequence numbers (one slot).</summary>
    public readonly record struct Feed(RedisKey Stream, RedisKey Sequence);

    public static readonly Feed Global = new(RedisKeys.Changes, RedisKeys.ChangesSequence);

    /// <summary>The 64 shard feeds, then <see cref="Global"/> (index <see cref="AddressBuckets.ShardCount"/>).</summary>
    public static readonly Feed[] All =
        [.. Enumerable.Range(0, AddressBuckets.ShardCount).Select(s => new Feed(RedisKeys.ShardChanges(s), RedisKeys.ShardChangesSequence(s))), Global];

    /// <summary>The feed of the shard an address (4 or 16 raw bytes) belongs to.</summary>
    public static Feed OfAddress(byte[] address) => All[AddressBuckets.ShardOf(new System.Net.IPAddress(address))];

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

    public static Task AppendAsync(IDatabase db, Feed feed, TimeSpan retention, params NameValueEntry[] fields)
    {
        var args = new RedisValue[1 + fields.Length * 2];
        args[0] = (long)retention.TotalMilliseconds;
        for (int i = 0; i < fields.Length; i++) { args[1 + 2 * i] = fields[i].Name; args[2 + 2 * i] = fields[i].Value; }
        return db.ScriptEvaluateAsync(AppendLua, [feed.Stream, feed.Sequence], args);
    }

    /// <summary>One address change (0 = removed) as a packed entry's fields.</summary>
    public static NameValueEntry AddressChange(byte[] address, int record)
    {
        var packed = new byte[address.Length + 4];
        address.CopyTo(packed, 0);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(packed.AsSpan(address.Length), record);
        return new(address.Length == 4 ? ChangeFields.Packed4 : ChangeFields.Packed6, packed);
    }

    /// <summary>The sum of every feed's counter: the term of the zone serial (Zones/ZoneSerial.cs) for the data as it is now.</summary>
    public static async Task<long> SequenceSumAsync(IDatabase db)
    {
        var counters = await Task.WhenAll(All.Select(f => db.StringGetAsync(f.Sequence)));
        return counters.Sum(c => c.TryParse(out long n) ? n : 0);
    }

    /// <summary>Trims every feed by age (one script call per feed: each names one key, so each runs on its slot's primary).</summary>
    public static Task TrimAsync(IDatabase db, TimeSpan retention) =>
        Task.WhenAll(All.Select(f => db.ScriptEvaluateAsync(TrimLua, [f.Stream], [(long)retention.TotalMilliseconds])));
}
