using DnsFp.Contract;
using DnsFp.Server.Follower;
using StackExchange.Redis;

namespace DnsFp.Server.Lifecycle;

/// <summary>
/// Reads and changes <see cref="RedisKeys.Delistings"/>. Every change is also written to the audit trail and announced
/// on the change stream (field "d"), so every server reloads the delistings within its poll interval.
/// </summary>
internal static class DelistingStore
{
    /// <summary>Change-stream field that tells followers to reload the delistings.</summary>
    public const string ChangedField = "d";

    public static async Task<List<Delisting>> ReadAsync(IDatabase db)
    {
        var entries = await db.HashGetAllAsync(RedisKeys.Delistings);
        var result = new List<Delisting>(entries.Length);
        foreach (var e in entries)
            if (Delisting.FromStored(e.Name!, e.Value!) is { } d) result.Add(d);
        return result;
    }

    /// <summary>The delistings whose time is not up at <paramref name="now"/> (ended ones wait for the sweeper to remove them).</summary>
    public static async Task<List<Delisting>> ReadInForceAsync(IDatabase db, DateTimeOffset now) =>
        (await ReadAsync(db)).Where(d => d.IsInForce(now)).ToList();

    public static async Task AddAsync(IDatabase db, Delisting delisting, TimeSpan auditRetention)
    {
        await db.HashSetAsync(RedisKeys.Delistings, delisting.Range.ToString(), delisting.StoredValue());
        await AuditTrail.AppendAsync(db, delisting.At, auditRetention, "delist", delisting.Range.ToString(), delisting.User,
            $"{delisting.Reason} (until {delisting.Until.UtcDateTime:yyyy-MM-dd HH:mm} UTC)");
        await AnnounceAsync(db);
    }

    /// <summary>Ends a delisting early (relist) or because its time is up; false when there was none for that range.</summary>
    public static async Task<bool> RemoveAsync(IDatabase db, AddressRange range, DateTimeOffset now, TimeSpan auditRetention, string action, string user, string reason)
    {
        if (!await db.HashDeleteAsync(RedisKeys.Delistings, range.ToString())) return false;
        await AuditTrail.AppendAsync(db, now, auditRetention, action, range.ToString(), user, reason);
        await AnnounceAsync(db);
        return true;
    }

    public static Task AnnounceAsync(IDatabase db) => ChangeFeed.AppendAsync(db, ChangeFeed.Global, ChangeFeed.DefaultRetention, new NameValueEntry(ChangedField, 1));
}
