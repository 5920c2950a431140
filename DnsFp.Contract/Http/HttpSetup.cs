using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace DnsFp.Contract.Http;

/// <summary>Registers the HTTP listener and its MeterProvider when <see cref="HttpOptions.Enabled"/>; both programs call it from their own setup.</summary>
public static class HttpSetup
{
    /// <summary>
    /// OpenTelemetry's MeterProvider reads the program's System.Diagnostics.Metrics instruments (meter
    /// <paramref name="meterName"/>) and its Prometheus exporter renders them at each scrape. Not cached between
    /// scrapes, so a scrape shows the counts of that moment.
    /// </summary>
    public static IServiceCollection AddHttpEndpoint(this IServiceCollection services, HttpOptions options, string meterName, string program)
    {
        if (!options.Enabled) return services;
        services.AddSingleton(options);
        services.AddSingleton(_ => Sdk.CreateMeterProviderBuilder()
            .ConfigureResource(r => r.Clear().AddService(program, serviceVersion: typeof(HttpSetup).Assembly.GetName().Version?.ToString(3)))
            .AddMeter(meterName)
            .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0)
            .Build());
        services.AddHostedService<HttpEndpoint>();
        return services;
    }
}
