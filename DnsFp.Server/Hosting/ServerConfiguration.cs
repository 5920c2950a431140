using Microsoft.Extensions.Configuration;

namespace DnsFp.Server.Hosting;

/// <summary>Where every server command reads its settings, lowest priority first: appsettings.json next to the
/// program, /etc/dnsfp/server.json, DNSFP_-prefixed environment variables; command-line flags are applied on top.</summary>
internal static class ServerConfiguration
{
    public const string EnvironmentPrefix = "DNSFP_";
    public const string SystemFile = "/etc/dnsfp/server.json";

    public static IConfigurationBuilder AddDnsFpSources(this IConfigurationBuilder builder) => builder
        .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
        .AddJsonFile(SystemFile, optional: true)
        .AddEnvironmentVariables(EnvironmentPrefix);

    public static IConfiguration Build() => new ConfigurationBuilder().AddDnsFpSources().Build();
}
