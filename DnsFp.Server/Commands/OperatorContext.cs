using DnsFp.Contract;
using DnsFp.Server.Bands;
using DnsFp.Server.Hosting;
using DnsFp.Server.Lifecycle;
using Microsoft.Extensions.Configuration;
using StackExchange.Redis;

namespace DnsFp.Server.Commands;

/// <summary>
/// What the one-shot operator commands (lookup, delist, relist, delistings, forget) share: the server's settings
/// (so they decide as the server does), one Redis connection, and one-line errors with the documented exit codes.
/// </summary>
internal sealed class OperatorContext
{
    public required string Verb { get; init; }
    public required ListingOptions Listing { get; init; }
    public required BandOptions Bands { get; init; }
    public required string Endpoint { get; init; }

    /// <summary>Runs <paramref name="body"/> with a Redis database; settings and Redis failures become one line on stderr and an exit code.</summary>
    public static async Task<int> RunAsync(string verb, string? redisFlag, Func<OperatorContext, IDatabase, Task<int>> body)
    {
        OperatorContext context;
        try
        {
            var settings = ServerConfiguration.Build();
            var listing = settings.GetSection("Listing").Get<ListingOptions>() ?? new ListingOptions();
            var problems = new ListingOptionsValidator().Validate("Listing", listing).Failures?.ToList() ?? [];
            if (problems.Count > 0) return await FailAsync(verb, ExitCodes.Config, "invalid settings: " + string.Join("; ", problems));
            context = new OperatorContext { Verb = verb, Listing = listing, Bands = settings.Bands(), Endpoint = settings.RedisEndpoint(redisFlag) };
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException)
        {
            return await FailAsync(verb, ExitCodes.Config, "invalid settings: " + ex.Message);
        }
        try
        {
            using var redis = await ConnectionMultiplexer.ConnectAsync(RedisConnection.Options(context.Endpoint));
            return await body(context, redis.GetDatabase());
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return await FailAsync(verb, ExitCodes.Unavailable, $"cannot use Redis at {RedisConnection.Describe(context.Endpoint)}: {ex.Message}");
        }
        catch (Exception ex) when (ex is IOException or FormatException)
        {
            return await FailAsync(verb, ExitCodes.Config, ex.Message);            // the exclusion file named in the settings
        }
    }

    public static async Task<int> FailAsync(string verb, int code, string message)
    {
        await Console.Error.WriteLineAsync($"dnsfp-server {verb}: {message}");
        return code;
    }

    public Task<int> FailAsync(int code, string message) => FailAsync(Verb, code, message);

    /// <summary>The address or range argument, or a one-line error (exit 65) naming what is wrong with it.</summary>
    public static bool TryRange(string text, out AddressRange range, out string problem)
    {
        if (AddressRange.TryParse(text, out var r, out var p)) { range = r.Value; problem = ""; return true; }
        range = default; problem = p;
        return false;
    }

    /// <summary>The range set the server would exclude with these settings (settings, reserved ranges, the file).</summary>
    public RangeSet Excluded() => ExclusionList.Load(Listing).Ranges;

    /// <summary>The listing policy the server applies now: these settings, the exclusions and the delistings in force.</summary>
    public async Task<ListingPolicy> PolicyAsync(IDatabase db, DateTimeOffset now)
    {
        var inForce = await DelistingStore.ReadInForceAsync(db, now);
        return new ListingPolicy(ListingRecord.DayNumber(now), Listing.MaxAgeDays, Excluded(), RangeSet.Empty, []).WithDelistings(inForce);
    }
}
