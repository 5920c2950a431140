using DnsFp.Agent.Hosting;
using DnsFp.Agent.Spool;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DnsFp.Agent.Sources.Pf;

/// <summary>Registers the PF source when Agent:PfCommand is set: pfctl's states and rules polled every Agent:PfInterval.</summary>
internal static class PfSetup
{
    public static IServiceCollection AddPfSource(this IServiceCollection services, AgentOptions o)
    {
        if (o.PfCommand is not { } command) return services;
        return services.AddSingleton<IHostedService>(sp => new PfPollSource(new PfctlRunner(command), o.PfInterval,
            sp.GetRequiredService<FactSpool>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<PfPollSource>>()));
    }
}
