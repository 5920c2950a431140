using DnsFp.Server.Follower;

namespace DnsFp.Server.Lifecycle;

/// <summary>
/// The sweep's two scripts. <see cref="Lease"/> takes or renews the sweep lease: KEYS 1 lease; ARGV 1 this server's
/// name, 2 lease time in ms; returns 1 when this server holds it. <see cref="Remove"/> deletes the fields the sweeper
/// decided to reclaim, each only if its value is still the one read (a fold that refreshed it in between wins),
/// announces each removal on the change stream, and moves the cursor on, all only if this server still holds the lease
/// and the cursor is where it read it, so two servers never sweep one bucket and no removal is lost.
/// KEYS 1 bucket, 2 changes, 3 cursor, 4 lease, 5 changes sequence; ARGV 1 server name, 2 cursor read, 3 next cursor,
/// 4 change retention ms, then triples of field, value read, raw address bytes. The removals go to the change feed as
/// one packed entry (<see cref="ChangeFeed"/>). Returns the number removed, or -1 (lease or cursor
/// moved: nothing done).
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

    public static readonly string Remove = ChangeFeed.Functions + $$"""

        if redis.call('GET', KEYS[4]) ~= ARGV[1] then return -1 end
        if (redis.call('GET', KEYS[3]) or '0') ~= ARGV[2] then return -1 end
        local packed4, packed6 = {}, {}
        for i = 5, #ARGV, 3 do
          if redis.call('HGET', KEYS[1], ARGV[i]) == ARGV[i + 1] then
            redis.call('HDEL', KEYS[1], ARGV[i])
            if #ARGV[i + 2] == 4 then packed4[#packed4 + 1] = feed_pack(ARGV[i + 2], 0) else packed6[#packed6 + 1] = feed_pack(ARGV[i + 2], 0) end
          end
        end
        feed_add_changes(KEYS[2], KEYS[5], tonumber(ARGV[4]), packed4, packed6, {})
        redis.call('SET', KEYS[3], ARGV[3])
        return #packed4 + #packed6
        """;
}
