using DnsFp.Contract;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DnsFp.Server.Identity;

/// <summary>Registers the server's NSID and CHAOS identity from section "Server".</summary>
internal static class IdentitySetup
{
    public static IServiceCollection AddServerIdentity(this IServiceCollection services)
    {
        services.AddOptions<IdentityOptions>().BindConfiguration("Server").ValidateOnStartWith(new IdentityOptionsValidator());
        services.AddSingleton(sp => new ServerIdentity(sp.GetRequiredService<IOptions<IdentityOptions>>().Value));
        return services;
    }
}
