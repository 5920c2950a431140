using System.CommandLine;
using DnsFp.Server.Lifecycle;

namespace DnsFp.Server.Commands;

/// <summary>"dnsfp-server lookup ADDRESS": why DNS answers what it answers for one address.</summary>
internal static class LookupCommand
{
    public static Command Create()
    {
        var address = new Argument<string>("address") { Description = "IPv4 or IPv6 address, as the client connected from (192.0.2.7, 2001:db8::7)" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of text" };
        var redis = new Option<string?>("--redis") { Description = "Redis to read, host:port. Setting: Server:Redis" };
        var command = new Command("lookup", """
            Explain the answer for one address, from Redis, as the server decides it: listed or not and why not (never
            seen, expired, excluded, delisted), label and class, first and last seen, the sources that observed it, the
            verdicts behind its rating and which level rated it, the band, the A and TXT answers exactly as DNS gives
            them, and when it expires. Exit codes: 0 listed, 1 not listed, 65 bad address, 69 Redis unreachable,
            78 bad settings (e.g. an unreadable Listing:ExcludeFile).
            """) { address, json, redis };
        command.SetAction((r, _) => RunAsync(r.GetValue(address)!, r.GetValue(json), r.GetValue(redis)));
        return command;
    }

    private static Task<int> RunAsync(string text, bool json, string? redisFlag)
    {
        if (!AddressRange.TryParse(text, out var range, out _) || range.Value.Network.PrefixLength != (range.Value.IsV4 ? 32 : 128))
            return OperatorContext.FailAsync("lookup", ExitCodes.DataErr, $"'{text}' is not an IP address (write 192.0.2.7 or 2001:db8::7)");
        var address = range.Value.Network.BaseAddress;
        return OperatorContext.RunAsync("lookup", redisFlag, async (context, db) =>
        {
            var now = DateTimeOffset.UtcNow;
            var explanation = await ListingExplanation.ReadAsync(db, address, await context.PolicyAsync(db, now), context.Bands, now);
            await Console.Out.WriteAsync(json ? explanation.ToJson() + "\n" : explanation.ToText());
            return explanation.Status == ListingStatus.Listed ? ExitCodes.Ok : ExitCodes.NotListed;
        });
    }
}
