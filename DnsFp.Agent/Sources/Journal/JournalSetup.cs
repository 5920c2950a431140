using DnsFp.Agent.Hosting;
using DnsFp.Agent.Spool;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DnsFp.Agent.Sources.Journal;

/// <summary>Registers the journal source when units or identifiers are configured (Agent:JournalUnits, Agent:JournalIdentifiers).</summary>
internal static class JournalSetup
{
    public static IServiceCollection AddJournalSource(this IServiceCollection services, AgentOptions o)
    {
        if (!o.HasJournal) return services;
        var settings = new JournalSettings(o.JournalUnits, o.JournalIdentifiers, o.JournalDirectory, o.JournalCommand);
        return services.AddSingleton<IHostedService>(sp => new JournalSource(settings, o.StateDir, sp.GetRequiredService<FactSpool>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<JournalSource>>(), sp.GetRequiredService<Metrics.AgentMetrics>().Source("journal")));
    }
}
