using DnsFp.Agent.Fingerprints;
using DnsFp.Agent.Following;
using DnsFp.Agent.Sources.Capture;
using DnsFp.Agent.Sources.Journal;
using DnsFp.Agent.Sources.P0f;
using DnsFp.Agent.Sources.Pf;
using DnsFp.Agent.Spool;
using DnsFp.Agent.Verdicts.Exim;
using DnsFp.Agent.Verdicts.Postfix;
using DnsFp.Agent.Verdicts.Rspamd;
using DnsFp.Agent.Writer;
using DnsFp.Contract;
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
        builder.Services.AddSystemd();
        builder.Services.AddOptions<AgentOptions>().BindConfiguration("Agent").ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<AgentOptions>, AgentOptionsValidator>();
        builder.Services.PostConfigure(overrides);

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<AgentOptions>>().Value;
            var logger = sp.GetRequiredService<ILogger<FactSpool>>();
            var stateLock = StateDirectoryLock.Acquire(o.StateDir, message => FactSpool.LogStateDirectoryBusy(logger, message));
            return new FactSpool(o.StateDir, o.SpoolMaxBytes, logger, stateLock);
        });
        builder.Services.AddSingleton<IConnectionMultiplexer>(sp =>
            ConnectionMultiplexer.Connect(RedisConnection.AppendOnly(sp.GetRequiredService<IOptions<AgentOptions>>().Value.Redis)));
        builder.Services.AddHostedService<SpoolDrainer>();

        var o = new AgentOptions();
        builder.Configuration.GetSection("Agent").Bind(o);
        overrides(o);
        if (o.EximLog is not null)
            AddFollower(builder, o, o.EximLog, "exim-mainlog", new EximVerdicts(o.EximRejectLog is null ? EximVerdicts.Mode.MainLog : EximVerdicts.Mode.MainLogArrivalsOnly));
        if (o.EximRejectLog is not null) AddFollower(builder, o, o.EximRejectLog, "exim-rejectlog", new EximVerdicts(EximVerdicts.Mode.RejectLog));
        if (o.PostfixLog is not null) AddFollower(builder, o, o.PostfixLog, "postfix", new PostfixVerdicts());
        if (o.RspamdLog is not null) AddFollower(builder, o, o.RspamdLog, "rspamd", new RspamdVerdicts());
        builder.Services.AddJournalSource(o);
        if (o.P0fLog is not null) AddFollower(builder, o, o.P0fLog, "p0f", new P0fLogReader());
        if (o.PfCommand is not null)
            builder.Services.AddSingleton<IHostedService>(sp => new PfPollSource(new PfctlRunner(o.PfCommand), o.PfInterval,
                sp.GetRequiredService<FactSpool>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<PfPollSource>>()));
        if (o.CaptureInterface is not null)
            builder.Services.AddSingleton<IHostedService>(sp => new CaptureSource(o.CaptureInterface, o.EffectiveCapturePorts,
                SignatureDatabase.Load(o.EffectiveCaptureDatabases, o.P0fCompatible), sp.GetRequiredService<FactSpool>(), sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<CaptureSource>>()));
        return builder.Build();
    }

    private static void AddFollower(HostApplicationBuilder builder, AgentOptions o, string path, string name, ILogLineReader reader) =>
        builder.Services.AddSingleton<IHostedService>(sp => new FollowingSource(
            new LogFollower(path, Path.Combine(o.StateDir, name + ".position")), reader, sp.GetRequiredService<FactSpool>(), o.PollInterval,
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<FollowingSource>>(),
            o.P0fSocket is null || reader is P0fLogReader ? null
                : new P0fLookup(new P0fApiClient(o.P0fSocket), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<P0fLookup>>())));
}
