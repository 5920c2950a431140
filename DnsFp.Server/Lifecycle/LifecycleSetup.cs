using DnsFp.Contract;
using Microsoft.Extensions.DependencyInjection;

namespace DnsFp.Server.Lifecycle;

/// <summary>Registers the listing lifecycle: its options, the exclusion watcher and the sweeper.</summary>
internal static class LifecycleSetup
{
    /// <summary>Call before the listeners are added: the exclusions must be in force before the first query.</summary>
    public static IServiceCollection AddListingLifecycle(this IServiceCollection services)
    {
        services.AddOptions<ListingOptions>().BindConfiguration("Listing").ValidateOnStartWith(new ListingOptionsValidator());
        services.AddHostedService<ExclusionWatcher>();
        services.AddHostedService<Sweeper>();
        return services;
    }
}
