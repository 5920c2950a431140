using DnsFp.Agent.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DnsFp.Agent.Firewall;

/// <summary>Registers the firewall feed when Agent:Firewall:Kind is set: the PF table or the nftables sets, fed from the zone.</summary>
internal static class FirewallSetup
{
    public static IServiceCollection AddFirewallFeed(this IServiceCollection services, AgentOptions o)
    {
        var f = o.Firewall;
        if (!f.Enabled) return services;
        var command = new ExternalCommand(f.EffectiveCommand);
        IFirewallTable table = f.Kind == "pf"
            ? new PfTable(command, f.Table, Path.Combine(o.StateDir, "firewall.pf"))
            : new NftSets(command, f.Table, Path.Combine(o.StateDir, "firewall.nft"));
        return services.AddSingleton<IHostedService>(sp => new FirewallFeeder(f, table, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<FirewallFeeder>>()));
    }
}
