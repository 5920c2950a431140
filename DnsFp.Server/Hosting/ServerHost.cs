using DnsFp.Contract;
using DnsFp.Server.Bands;
using DnsFp.Server.Engine;
using DnsFp.Server.Folding;
using DnsFp.Server.Follower;
using DnsFp.Server.Index;
using DnsFp.Server.Zones;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace DnsFp.Server.Hosting;

/// <summary>Wires the server: zones, index, engine, listeners, fact folder and change follower on Microsoft.Extensions.Hosting.</summary>
internal static class ServerHost
{
    public static IHost Build(Action<ServerOptions>? overrides = null, IEnumerable<KeyValuePair<string, string?>>? extraSettings = null, Action<HostApplicationBuilder>? configure = null, string? settingsFile = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddDnsFpSources(settingsFile);
        if (extraSettings is not null) builder.Configuration.AddInMemoryCollection(extraSettings);
        builder.Logging.AddConfiguration(builder.Configuration.GetSection("Logging"));
        builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "yyyy-MM-dd HH:mm:ss "; });
        // start-up failures are reported by the run command in one line, not as a stack trace
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        // the HTTP listener's own framework logs a line per request at Information: only its warnings here
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Services.AddSystemd();

        builder.Services.AddOptions<ServerOptions>().BindConfiguration("Server").ValidateOnStartWith(new ServerOptionsValidator());
        if (overrides is not null) builder.Services.PostConfigure(overrides);
        builder.Services.AddOptions<BandOptions>().BindConfiguration("Bands").ValidateOnStartWith(new BandOptionsValidator());
        builder.Services.AddOptions<FoldOptions>().BindConfiguration("Fold").ValidateOnStartWith(new FoldOptionsValidator());

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(sp => ZoneDirectoryLoader.Load(sp.GetRequiredService<IOptions<ServerOptions>>().Value.Zones));
        builder.Services.AddSingleton<IndexHolder>();
        builder.Services.AddSingleton<AnswerEngine>();
        builder.Services.AddSingleton<IConnectionMultiplexer>(sp =>
            ConnectionMultiplexer.Connect(RedisConnection.Options(sp.GetRequiredService<IOptions<ServerOptions>>().Value.Redis)));
        // what the features' setups need to know before the host exists (which to register at all)
        var options = new ServerOptions();
        builder.Configuration.GetSection("Server").Bind(options);
        overrides?.Invoke(options);
        builder.Services.AddServerFeatures(options);
        builder.Services.AddSingleton<DnsListenerService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DnsListenerService>());
        builder.Services.AddHostedService<FactFolder>();
        builder.Services.AddHostedService<ChangeFollower>();
        configure?.Invoke(builder);
        return builder.Build();
    }
}
