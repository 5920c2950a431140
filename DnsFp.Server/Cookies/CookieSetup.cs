using DnsFp.Contract;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DnsFp.Server.Cookies;

/// <summary>Registers DNS COOKIE support from section "Cookies".</summary>
internal static partial class CookieSetup
{
    public static IServiceCollection AddDnsCookies(this IServiceCollection services)
    {
        services.AddOptions<CookieOptions>().BindConfiguration("Cookies").ValidateOnStartWith(new CookieOptionsValidator());
        services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<CookieOptions>>().Value;
            if (!o.Enabled) return new CookieFeature(null);
            if (o.Secret is not { Length: > 0 }) LogRandomSecret(sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(CookieSetup)));
            return new CookieFeature(new ServerCookies(o.SecretBytes(), sp.GetRequiredService<TimeProvider>()));
        });
        return services;
    }

    [LoggerMessage(910, LogLevel.Information, "DNS cookies use a random secret (Cookies:Secret is not set): servers of one list should share a secret so a client's cookie is valid at each")]
    private static partial void LogRandomSecret(ILogger logger);
}

/// <summary>The cookie maker when Cookies:Enabled, else none: what the engine is given.</summary>
internal sealed record CookieFeature(ServerCookies? Cookies);
