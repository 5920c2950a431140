using DnsFp.Server.Follower;

namespace DnsFp.Server.Lifecycle;

/// <summary>
/// The sweep's scripts, each on one key or one shard's keys, so each runs on one slot of a Redis Cluster.
/// <see cref="Lease"/> takes or renews the sweep lease: KEYS 1 lease; ARGV 1 this server's name, 2 lease time in ms;
/// returns 1 when this server holds it. <see cref="Remove"/> deletes the fields the sweeper decided to reclaim, each
/// only if its value is still the one read (a fold that refreshed it in between wins, and a second sweeper of the same
/// bucket finds nothing left to delete), and announces each removal on the shard's change feed as one packed entry
/// (<see cref="ChangeFeed"/>). KEYS 1 bucket, 2 the shard's feed, 3 its sequence; ARGV 1 change retention ms, then
/// triples of field, value read, raw address bytes; returns the number removed. <see cref="Advance"/> moves the
/// cursor on only if it is still where this sweeper read it: KEYS 1 cursor; ARGV 1 cursor read, 2 next; returns 1
/// when moved, 0 when another sweeper moved it (this one then starts over from the lease).
/// </summary>
internal static class SweepScript
{
    public const string Lease = """
        local holder = redis.call('GET', KEYS[1])
        if holder == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
        if holder then return 0 end
        redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
        return 1
        """;

    public static readonly string Remove = ChangeFeed.Functions + """

        local packed4, packed6 = {}, {}
        for i = 2, #ARGV, 3 do
          if redis.call('HGET', KEYS[1], ARGV[i]) == ARGV[i + 1] then
            redis.call('HDEL', KEYS[1], ARGV[i])
            if #ARGV[i + 2] == 4 then packed4[#packed4 + 1] = feed_pack(ARGV[i + 2], 0) else packed6[#packed6 + 1] = feed_pack(ARGV[i + 2], 0) end
          end
        end
        feed_add_changes(KEYS[2], KEYS[3], tonumber(ARGV[1]), packed4, packed6, {})
        return #packed4 + #packed6
        """;

    public const string Advance = """
        if (redis.call('GET', KEYS[1]) or '0') ~= ARGV[1] then return 0 end
        redis.call('SET', KEYS[1], ARGV[2])
        return 1
        """;
}
