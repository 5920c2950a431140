using DnsFp.Contract;
using Microsoft.Extensions.DependencyInjection;

namespace DnsFp.Server.Access;

/// <summary>Registers the query ACL: options from section "Server", the rule set the engine checks, the watcher that keeps it current.</summary>
internal static class AccessSetup
{
    public static IServiceCollection AddQueryAcl(this IServiceCollection services)
    {
        services.AddOptions<AccessOptions>().BindConfiguration("Server").ValidateOnStartWith(new AccessOptionsValidator());
        services.AddSingleton<QueryAcl>();
        services.AddHostedService<AccessWatcher>();
        return services;
    }
}
