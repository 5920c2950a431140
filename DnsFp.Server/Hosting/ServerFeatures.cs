using DnsFp.Server.Access;
using DnsFp.Server.Cookies;
using DnsFp.Server.Identity;
using DnsFp.Server.Lifecycle;
using DnsFp.Server.Metrics;
using DnsFp.Server.RateLimit;
using DnsFp.Server.Status;
using DnsFp.Server.Transfer;
using Microsoft.Extensions.DependencyInjection;

namespace DnsFp.Server.Hosting;

/// <summary>
/// The server's features, each registered by the setup in its own folder, in the order they start (as CoreDNS's
/// plugin.cfg lists its plugins). A new feature is a folder with a setup and one line here.
/// </summary>
internal static class ServerFeatures
{
    public static IServiceCollection AddServerFeatures(this IServiceCollection services, ServerOptions options) => services
        .AddServerMetrics()         // Metrics/: query counters and instruments (the engine counts into them)
        .AddListingLifecycle()      // Lifecycle/: expiry, exclusions, sweep (in force before the first query)
        .AddQueryAcl()              // Access/: Server:Allow / Server:Deny
        .AddRateLimiting()          // RateLimit/: response rate limiting
        .AddDnsCookies()            // Cookies/: DNS COOKIEs
        .AddServerIdentity()        // Identity/: NSID, CHAOS id.server
        .AddZoneTransfers()         // Transfer/: AXFR, IXFR, NOTIFY, TSIG
        .AddStatusPages(options.Http) // Status/: HTTP metrics, status page, lookup, health (Server:Http)
        .AddHostedService<SettingsReloader>();
}
