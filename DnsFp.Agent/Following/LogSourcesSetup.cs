using DnsFp.Agent.Hosting;
using DnsFp.Agent.Sources.P0f;
using DnsFp.Agent.Spool;
using DnsFp.Agent.Verdicts.Exim;
using DnsFp.Agent.Verdicts.Postfix;
using DnsFp.Agent.Verdicts.Rspamd;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DnsFp.Agent.Following;

/// <summary>
/// Registers one followed log per configured file: Exim's main and reject logs, Postfix, rspamd (verdicts) and p0f's
/// log (observations); with Agent:P0fSocket, verdict lines also ask p0f's API for the client's fingerprint.
/// </summary>
internal static class LogSourcesSetup
{
    public static IServiceCollection AddLogSources(this IServiceCollection services, AgentOptions o)
    {
        if (o.EximLog is not null)
            services.AddFollower(o, o.EximLog, "exim-mainlog", new EximVerdicts(o.EximRejectLog is null ? EximVerdicts.Mode.MainLog : EximVerdicts.Mode.MainLogArrivalsOnly));
        if (o.EximRejectLog is not null) services.AddFollower(o, o.EximRejectLog, "exim-rejectlog", new EximVerdicts(EximVerdicts.Mode.RejectLog));
        if (o.PostfixLog is not null) services.AddFollower(o, o.PostfixLog, "postfix", new PostfixVerdicts());
        if (o.RspamdLog is not null) services.AddFollower(o, o.RspamdLog, "rspamd", new RspamdVerdicts());
        if (o.P0fLog is not null) services.AddFollower(o, o.P0fLog, "p0f", new P0fLogReader());
        return services;
    }

    private static void AddFollower(this IServiceCollection services, AgentOptions o, string path, string name, ILogLineReader reader) =>
        services.AddSingleton<IHostedService>(sp => new FollowingSource(
            new LogFollower(path, Path.Combine(o.StateDir, name + ".position")), reader, sp.GetRequiredService<FactSpool>(), o.PollInterval,
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<FollowingSource>>(), sp.GetRequiredService<Metrics.AgentMetrics>().Source(name),
            o.P0fSocket is null || reader is P0fLogReader ? null
                : new P0fLookup(new P0fApiClient(o.P0fSocket), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<P0fLookup>>())));
}
