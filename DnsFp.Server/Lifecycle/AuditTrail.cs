using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using DnsFp.Contract;
using StackExchange.Redis;

namespace DnsFp.Server.Lifecycle;

/// <summary>
/// The audit trail of <see cref="RedisKeys.Audit"/>: one stream entry per delist, relist, forget and ended delisting,
/// with who, what, why. Trimmed by age (MINID) on every append, so it never holds addresses longer than the retention.
/// A forget records a keyed hash of the address, never the address: enough to answer "was X forgotten?" by hashing X
/// again, useless for finding it.
/// </summary>
internal static class AuditTrail
{
    public const string ActionField = "action", TargetField = "target", UserField = "user", ReasonField = "reason";

    public static Task AppendAsync(IDatabase db, DateTimeOffset now, TimeSpan retention, string action, string target, string user, string reason)
    {
        long minId = Math.Max(0, (now - retention).ToUnixTimeMilliseconds());
        // XADD ... MINID ~ <cutoff> trims by age in the same command (Redis 6.2+); StackExchange.Redis has no overload for it
        return db.ExecuteAsync("XADD", RedisKeys.Audit, "MINID", "~", minId.ToString(CultureInfo.InvariantCulture), "*",
            ActionField, action, TargetField, target, UserField, user, ReasonField, reason);
    }

    public static async Task<string> AddressHashAsync(IDatabase db, string address)
    {
        var key = (byte[]?)await db.StringGetAsync(RedisKeys.AuditHashKey);
        if (key is null)
        {
            await db.StringSetAsync(RedisKeys.AuditHashKey, RandomNumberGenerator.GetBytes(32), when: When.NotExists);
            key = (byte[]?)await db.StringGetAsync(RedisKeys.AuditHashKey) ?? throw new RedisException("the audit hash key could not be created");
        }
        return "hmac-sha256:" + Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(address)))[..32];
    }

    /// <summary>The operating-system user who runs the command: the one behind sudo/doas when there is one.</summary>
    public static string OperatingSystemUser() =>
        Environment.GetEnvironmentVariable("SUDO_USER") ?? Environment.GetEnvironmentVariable("DOAS_USER") ?? Environment.UserName;
}
