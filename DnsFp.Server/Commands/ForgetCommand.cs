using System.CommandLine;
using System.Net;
using DnsFp.Contract;
using DnsFp.Server.Follower;
using DnsFp.Server.Lifecycle;
using StackExchange.Redis;

namespace DnsFp.Server.Commands;

/// <summary>"dnsfp-server forget ADDRESS": erase everything stored about one address (a data-protection request).</summary>
internal static class ForgetCommand
{
    private const int Chunk = 1000;

    public static Command Create()
    {
        var target = new Argument<string>("address") { Description = "One IPv4 or IPv6 address" };
        var redis = new Option<string?>("--redis") { Description = "Redis to change, host:port. Setting: Server:Redis" };
        var command = new Command("forget", """
            Erase everything dnsfp stores about one address: its listing (gone from every server's DNS within a
            second), a delisting of exactly that address, audit entries that name it, facts about it not yet folded,
            and the change-stream entries that carry it. Verdict counts are per OS label, not per address, and stay.
            The audit trail records that a forget happened, with a keyed hash of the address instead of the address.
            If the address connects again it is observed again: add it to Listing:Exclude to stop that.
            Exit codes: 0 done, 65 not one address, 69 Redis unreachable, 78 bad settings.
            """) { target, redis };
        command.SetAction((r, _) => RunAsync(r.GetValue(target)!, r.GetValue(redis)));
        return command;
    }

    private static async Task<int> RunAsync(string text, string? redisFlag)
    {
        if (!OperatorContext.TryRange(text, out var range, out var problem)) return await OperatorContext.FailAsync("forget", ExitCodes.DataErr, problem);
        if (range.Network.PrefixLength != (range.IsV4 ? 32 : 128)) return await OperatorContext.FailAsync("forget", ExitCodes.DataErr, $"'{text}' is a range; forget takes one address");
        var address = range.Network.BaseAddress;
        return await OperatorContext.RunAsync("forget", redisFlag, async (context, db) =>
        {
            string name = address.ToString();
            byte[] raw = address.GetAddressBytes();
            // unfolded facts first, so a fold cannot store the address again after its listing is gone
            int facts = await EraseFactsAsync(db, RedisKeys.Facts(AddressBuckets.ShardOf(address)), address)
                + await EraseFactsAsync(db, RedisKeys.LegacyFacts, address);
            bool listing = await db.HashDeleteAsync(AddressBuckets.KeyFor(address), AddressBuckets.FieldFor(address));
            // Erasing feed entries leaves a gap in the feed's sequence: every server then reloads its index, which
            // no longer has the address (its listing is gone already)
            // (its shard's feed, and the global one, which held address changes before the shard feeds)
            var feed = ChangeFeed.OfAddress(raw);
            int changes = await EraseEntriesAsync(db, feed.Stream!, e => MentionsAddress(e, raw))
                + await EraseEntriesAsync(db, RedisKeys.Changes, e => MentionsAddress(e, raw));
            bool delisting = await db.HashDeleteAsync(RedisKeys.Delistings, name);
            int audit = await EraseEntriesAsync(db, RedisKeys.Audit, e => e.GetValueOrDefault(AuditTrail.TargetField) == name);
            // every server drops it from its index (and a delisting it had) through the change stream
            await ChangeFeed.AppendAsync(db, feed, ChangeFeed.DefaultRetention, ChangeFeed.AddressChange(raw, 0));
            if (delisting) await DelistingStore.AnnounceAsync(db);
            var now = DateTimeOffset.UtcNow;
            await AuditTrail.AppendAsync(db, now, context.Listing.AuditRetention, "forget", await AuditTrail.AddressHashAsync(db, name), AuditTrail.OperatingSystemUser(), "data-protection request");
            await Console.Out.WriteLineAsync($"forgot {name}: listing {(listing ? "erased" : "not stored")}, {(delisting ? 1 : 0)} delisting, {audit} audit entries, " +
                $"{facts} unfolded facts, {changes} change-stream entries erased; the audit trail keeps a keyed hash of the address, not the address");
            return ExitCodes.Ok;
        });
    }

    /// <summary>Whether a change-feed entry mentions the address (an entry of older servers, or inside a packed one).</summary>
    private static bool MentionsAddress(Dictionary<string, RedisValue> entry, byte[] raw)
    {
        if (entry.GetValueOrDefault(ChangeFields.Address) is var ip && !ip.IsNull && ((byte[])ip!).AsSpan().SequenceEqual(raw)) return true;
        if (entry.GetValueOrDefault(raw.Length == 4 ? ChangeFields.Packed4 : ChangeFields.Packed6) is not { IsNull: false } packed) return false;
        foreach (var change in new PackedChanges((byte[])packed!, raw.Length))
            if (change.Address.SequenceEqual(raw)) return true;
        return false;
    }

    /// <summary>
    /// Erases the unfolded facts about the address: a one-fact entry is deleted; a batch entry is written again
    /// without them (the other facts are kept) and the original deleted. Returns the number of facts erased.
    /// </summary>
    private static async Task<int> EraseFactsAsync(IDatabase db, string stream, IPAddress address)
    {
        int erased = 0;
        RedisValue from = "-";
        while (true)
        {
            var entries = await db.StreamRangeAsync(stream, from, "+", Chunk);
            foreach (var entry in entries.Where(e => !e.IsNull))
            {
                var facts = new List<Fact>();
                FactStreamEntry.Read(entry.Values, facts, out _);
                int about = facts.Count(f => f.Address.Equals(address));
                if (about == 0) continue;
                var rest = facts.Where(f => !f.Address.Equals(address)).ToList();
                if (rest.Count > 0) await db.StreamAddAsync(stream, FactStreamEntry.Batch(rest, rest[0].Host));
                await db.StreamDeleteAsync(stream, [entry.Id]);
                erased += about;
            }
            if (entries.Length < Chunk) return erased;
            from = "(" + entries[^1].Id;
        }
    }

    /// <summary>Deletes the entries of a stream that match, reading it in chunks (XRANGE ... COUNT), never all at once.</summary>
    private static async Task<int> EraseEntriesAsync(IDatabase db, string stream, Func<Dictionary<string, RedisValue>, bool> matches)
    {
        int erased = 0;
        RedisValue from = "-";
        while (true)
        {
            var entries = await db.StreamRangeAsync(stream, from, "+", Chunk);
            var doomed = entries.Where(e => !e.IsNull && matches(e.Values.ToDictionary(v => v.Name.ToString(), v => v.Value, StringComparer.Ordinal))).Select(e => e.Id).ToArray();
            if (doomed.Length > 0) erased += (int)await db.StreamDeleteAsync(stream, doomed);
            if (entries.Length < Chunk) return erased;
            from = "(" + entries[^1].Id;
        }
    }
}
