using DnsFp.Agent.Firewall;
using DnsFp.Agent.Following;
using DnsFp.Agent.Sources.Capture;
using DnsFp.Agent.Sources.Journal;
using DnsFp.Agent.Sources.Pf;
using DnsFp.Agent.Spool;
using DnsFp.Agent.Writer;
using DnsFp.Contract;
using DnsFp.Contract.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace DnsFp.Agent.Hosting;

/// <summary>Wires the agent daemon: the configured sources, the spool and the drainer, on Microsoft.Extensions.Hosting with systemd notify.</summary>
internal static class AgentHost
{
    public static IHost Build(Action<AgentOptions> overrides)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddConfiguration(AgentConfiguration.Build());
        builder.Logging.AddConfiguration(builder.Configuration.GetSection("Logging"));
        builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "yyyy-MM-dd HH:mm:ss "; });
        // start-up failures are reported by the run command in one line, not as a stack trace
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        // the HTTP listener's own framework logs a line per request at Information: only its warnings here
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Services.AddSystemd();
        builder.Services.AddOptions<AgentOptions>().BindConfiguration("Agent").ValidateOnStartWith(new AgentOptionsValidator());
        builder.Services.PostConfigure(overrides);

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddMetrics().AddSingleton<Metrics.AgentMetrics>();
        builder.Services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<AgentOptions>>().Value;
            var logger = sp.GetRequiredService<ILogger<FactSpool>>();
            var stateLock = StateDirectoryLock.Acquire(o.StateDir, message => FactSpool.LogStateDirectoryBusy(logger, message));
            return new FactSpool(o.StateDir, o.SpoolMaxBytes, logger, stateLock, sp.GetRequiredService<Metrics.AgentMetrics>());
        });
        builder.Services.AddSingleton<IConnectionMultiplexer>(sp =>
            ConnectionMultiplexer.Connect(RedisConnection.AppendOnly(sp.GetRequiredService<IOptions<AgentOptions>>().Value.Redis)));

        var o = new AgentOptions();
        builder.Configuration.GetSection("Agent").Bind(o);
        overrides(o);
        if (o.HasFactSources) builder.Services.AddHostedService<SpoolDrainer>();
        // each source registers itself from its own folder, when its settings ask for it
        builder.Services.AddLogSources(o).AddJournalSource(o).AddPfSource(o).AddCaptureSource(o).AddFirewallFeed(o)
            .AddHttpEndpoint(o.Http, Metrics.AgentMetrics.MeterName, "dnsfp-agent");
        return builder.Build();
    }
}
