using DnsFp.Contract.Http;
using DnsFp.Server.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace DnsFp.Server.Status;

/// <summary>Registers the HTTP listener (Server:Http) with the status pages, and the health probe they and the metrics read.</summary>
internal static class StatusSetup
{
    public static IServiceCollection AddStatusPages(this IServiceCollection services, HttpOptions http)
    {
        if (!http.Enabled) return services;
        services.AddSingleton<StatusSnapshot>().AddSingleton<StatusPage>().AddSingleton<LookupPage>().AddSingleton<HealthPage>();
        services.AddSingleton(sp => new HttpRoute("/", sp.GetRequiredService<StatusPage>().OverviewAsync));
        services.AddSingleton(sp => new HttpRoute("/class", sp.GetRequiredService<StatusPage>().ClassAsync));
        services.AddSingleton(sp => new HttpRoute("/signatures", sp.GetRequiredService<StatusPage>().SignaturesAsync));
        services.AddSingleton(sp => new HttpRoute("/lookup", sp.GetRequiredService<LookupPage>().LookupAsync));
        services.AddSingleton(sp => new HttpRoute("/health", sp.GetRequiredService<HealthPage>().HealthAsync));
        services.AddHostedService<RedisHealthProbe>();
        return services.AddHttpEndpoint(http, ServerMetrics.MeterName, "dnsfp-server");
    }
}
