using DnsFp.Contract;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DnsFp.Server.RateLimit;

/// <summary>Registers response rate limiting from section "RateLimit" when it is enabled: the limiter the engine consults and its reporter.</summary>
internal static class RateLimitSetup
{
    public static IServiceCollection AddRateLimiting(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration("RateLimit").ValidateOnStartWith(new RateLimitOptionsValidator());
        services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<RateLimitOptions>>().Value;
            return new RateLimitFeature(o.Enabled ? new ResponseRateLimiter(o, sp.GetRequiredService<TimeProvider>()) : null);
        });
        services.AddHostedService<RateLimitReporter>();
        return services;
    }
}

/// <summary>The limiter when RateLimit:Enabled, else none: what the engine is given.</summary>
internal sealed record RateLimitFeature(ResponseRateLimiter? Limiter);
