using System.CommandLine;
using DnsFp.Server.Lifecycle;

namespace DnsFp.Server.Commands;

/// <summary>"dnsfp-server relist ADDRESS|CIDR": ends a delisting early.</summary>
internal static class RelistCommand
{
    public static Command Create()
    {
        var target = new Argument<string>("address-or-range") { Description = "The address or range exactly as 'delistings' shows it" };
        var reason = new Option<string>("--reason") { Description = "Why it ends early (kept in the audit trail)", DefaultValueFactory = _ => "ended early" };
        var redis = new Option<string?>("--redis") { Description = "Redis to change, host:port. Setting: Server:Redis" };
        var command = new Command("relist", """
            End a delisting early: the address or range is answered again (every server within a second) if it is
            still observed within Listing:MaxAge. Recorded in the audit trail with the operating-system user.
            Exit codes: 0 done, 1 no delisting of exactly that address or range, 65 bad address or range,
            69 Redis unreachable, 78 bad settings.
            """) { target, reason, redis };
        command.SetAction((r, _) => RunAsync(r.GetValue(target)!, r.GetValue(reason)!, r.GetValue(redis)));
        return command;
    }

    private static async Task<int> RunAsync(string text, string reason, string? redisFlag)
    {
        if (!OperatorContext.TryRange(text, out var range, out var problem)) return await OperatorContext.FailAsync("relist", ExitCodes.DataErr, problem);
        return await OperatorContext.RunAsync("relist", redisFlag, async (context, db) =>
        {
            string user = AuditTrail.OperatingSystemUser();
            if (await DelistingStore.RemoveAsync(db, range, DateTimeOffset.UtcNow, context.Listing.AuditRetention, "relist", user, reason))
            {
                await Console.Out.WriteLineAsync($"relisted {range} (by {user}); every server answers it again within a second if it is still observed");
                return ExitCodes.Ok;
            }
            var covering = (await DelistingStore.ReadAsync(db)).Where(d => d.Range.Contains(range.Network.BaseAddress)).Select(d => d.Range.ToString()).ToList();
            return await context.FailAsync(ExitCodes.NotListed, $"no delisting of exactly {range}" + (covering.Count > 0 ? $"; it is inside {string.Join(", ", covering)}" : ""));
        });
    }
}
