using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DnsFp.Server.RateLimit;

/// <summary>Says once at start what the limits are, then once per RateLimit:LogInterval what was limited, if anything: never a line per packet.</summary>
internal sealed partial class RateLimitReporter(RateLimitFeature feature, TimeProvider time, ILogger<RateLimitReporter> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        if (feature.Limiter is not { } limiter) { LogOff(logger); return; }
        var o = limiter.Options;
        LogOn(logger, o.ResponsesPerSecond, o.NoDataPerSecond, o.NxDomainsPerSecond, o.ErrorsPerSecond, o.IPv4PrefixLength, o.IPv6PrefixLength, o.Window, o.Slip, o.ExemptRanges().Count());
        using var timer = new PeriodicTimer(o.LogInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                var (dropped, slipped, example) = limiter.TakeCounts();
                if (dropped + slipped > 0) LogLimited(logger, o.LogInterval.TotalSeconds, dropped, slipped, example);
            }
        }
        catch (OperationCanceledException) { }
    }

    [LoggerMessage(900, LogLevel.Information, "Response rate limiting on UDP: per second {Answers} answers and {NoData} NODATA per name, {NxDomains} NXDOMAIN per zone, {Errors} errors, per /{V4} (IPv4) and /{V6} (IPv6) client prefix; window {Window} s, slip {Slip}; {Exempt} exempt ranges")]
    private static partial void LogOn(ILogger logger, int answers, int noData, int nxDomains, int errors, int v4, int v6, int window, int slip, int exempt);

    [LoggerMessage(902, LogLevel.Warning, "Response rate limiting is off (RateLimit:Enabled=false): this server can be used to reflect floods at others")]
    private static partial void LogOff(ILogger logger);

    [LoggerMessage(901, LogLevel.Warning, "Rate limited in the last {Seconds} s: {Dropped} responses dropped, {Slipped} sent truncated so real clients retry over TCP; e.g. {Example}")]
    private static partial void LogLimited(ILogger logger, double seconds, long dropped, long slipped, string example);
}
