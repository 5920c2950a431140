using Microsoft.Extensions.DependencyInjection;

namespace DnsFp.Server.Metrics;

/// <summary>Registers the counters the query path writes and the instruments that read them (always: they cost nothing unless scraped).</summary>
internal static class MetricsSetup
{
    public static IServiceCollection AddServerMetrics(this IServiceCollection services)
    {
        services.AddMetrics();
        services.AddSingleton<QueryCounters>().AddSingleton<ServerHealth>().AddSingleton<ServerMetrics>();
        return services;
    }
}
