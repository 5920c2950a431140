using DnsFp.Contract;
using Microsoft.Extensions.DependencyInjection;

namespace DnsFp.Server.Transfer;

/// <summary>Registers zone transfers: section "Transfer", the rules and keys in force, the TCP responder and the NOTIFY sender.</summary>
internal static class TransferSetup
{
    public static IServiceCollection AddZoneTransfers(this IServiceCollection services)
    {
        services.AddOptions<TransferOptions>().BindConfiguration("Transfer").ValidateOnStartWith(new TransferOptionsValidator());
        services.AddSingleton<TransferPolicy>();
        services.AddSingleton<TransferHistory>();
        services.AddSingleton<TransferResponder>();
        services.AddSingleton<QuerySigner>();
        services.AddSingleton<NotifySender>();
        services.AddHostedService(sp => sp.GetRequiredService<NotifySender>());
        return services;
    }
}
