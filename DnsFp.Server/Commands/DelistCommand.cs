using System.CommandLine;
using DnsFp.Contract;
using DnsFp.Server.Lifecycle;
using StackExchange.Redis;

namespace DnsFp.Server.Commands;

/// <summary>"dnsfp-server delist ADDRESS|CIDR --reason TEXT [--for DURATION]": out of DNS now, kept out for a time.</summary>
internal static class DelistCommand
{
    public static Command Create()
    {
        var target = new Argument<string>("address-or-range") { Description = "An address (192.0.2.7, 2001:db8::7) or a CIDR range (198.51.100.0/24)" };
        var reason = new Option<string>("--reason") { Description = "Why (a ticket, a complaint): kept in the audit trail and shown by lookup", Required = true };
        var forDuration = new Option<string?>("--for") { Description = $"How long it stays delisted ({DurationText.Examples}). Default: until it would have expired (Listing:MaxAge after its last observation)" };
        var redis = new Option<string?>("--redis") { Description = "Redis to change, host:port. Setting: Server:Redis" };
        var command = new Command("delist", """
            Remove an address or range from DNS and exports at once (every server within a second) and keep it out for
            a time. Observations meanwhile are kept and counted in the statistics, but do not list it. The delisting,
            the operating-system user who made it (the one behind sudo/doas) and the reason go into the audit trail.
            Exit codes: 0 done, 65 bad address, range, duration or reason, 69 Redis unreachable, 78 bad settings.
            """) { target, reason, forDuration, redis };
        command.SetAction((r, _) => RunAsync(r.GetValue(target)!, r.GetValue(reason)!, r.GetValue(forDuration), r.GetValue(redis)));
        return command;
    }

    private static async Task<int> RunAsync(string text, string reason, string? forText, string? redisFlag)
    {
        if (!OperatorContext.TryRange(text, out var range, out var problem)) return await OperatorContext.FailAsync("delist", ExitCodes.DataErr, problem);
        if (string.IsNullOrWhiteSpace(reason)) return await OperatorContext.FailAsync("delist", ExitCodes.DataErr, "--reason must say why (it goes into the audit trail)");
        TimeSpan? duration = null;
        if (forText is not null)
        {
            if (!DurationText.TryParse(forText, out var d)) return await OperatorContext.FailAsync("delist", ExitCodes.DataErr, $"--for '{forText}' is not a duration (write {DurationText.Examples})");
            duration = d;
        }
        return await OperatorContext.RunAsync("delist", redisFlag, async (context, db) =>
        {
            var now = DateTimeOffset.UtcNow;
            var until = duration is { } given ? now + given : await WouldExpireAsync(db, range, context.Listing, now);
            var delisting = new Delisting(range, until, now, AuditTrail.OperatingSystemUser(), reason.Trim());
            await DelistingStore.AddAsync(db, delisting, context.Listing.AuditRetention);
            await Console.Out.WriteLineAsync($"delisted {range} until {until.UtcDateTime:yyyy-MM-dd HH:mm} UTC (by {delisting.User}: {delisting.Reason}); every server drops it from DNS within a second");
            return ExitCodes.Ok;
        });
    }

    /// <summary>
    /// The default end: when the listing would have expired. For one stored address, MaxAge after its last
    /// observation; otherwise (a range, or an address not listed now) MaxAge from today, by when anything listed in it
    /// now would have expired.
    /// </summary>
    private static async Task<DateTimeOffset> WouldExpireAsync(IDatabase db, AddressRange range, ListingOptions listing, DateTimeOffset now)
    {
        int today = ListingRecord.DayNumber(now);
        int lastDay = today;
        if (range.Network.PrefixLength == (range.IsV4 ? 32 : 128))
        {
            var address = range.Network.BaseAddress;
            var stored = await db.HashGetAsync(AddressBuckets.KeyFor(address), AddressBuckets.FieldFor(address));
            if (!stored.IsNull && stored.TryParse(out int record) && ListingRecord.IsCurrent(record, today, listing.MaxAgeDays)) lastDay = today - ListingRecord.AgeDays(record, today);
        }
        return DateTimeOffset.UnixEpoch.AddDays(lastDay + listing.MaxAgeDays + 1);
    }
}
