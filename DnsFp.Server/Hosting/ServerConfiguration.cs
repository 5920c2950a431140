using Microsoft.Extensions.Configuration;

namespace DnsFp.Server.Hosting;

/// <summary>Where every server command reads its settings, lowest priority first: appsettings.json next to the
/// program, /etc/dnsfp/server.json, the file of "run --config" if given, DNSFP_-prefixed environment variables;
/// command-line flags are applied on top. The files are re-read on SIGHUP (Hosting/SettingsReloader).</summary>
internal static class ServerConfiguration
{
    public const string EnvironmentPrefix = "DNSFP_";
    public const string SystemFile = "/etc/dnsfp/server.json";

    public static IConfigurationBuilder AddDnsFpSources(this IConfigurationBuilder builder, string? settingsFile = null)
    {
        builder.AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true).AddJsonFile(SystemFile, optional: true);
        if (settingsFile is not null)
        {
            if (!File.Exists(settingsFile)) throw new FileNotFoundException($"settings file '{settingsFile}' (--config) does not exist");
            builder.AddJsonFile(Path.GetFullPath(settingsFile), optional: false);
        }
        return builder.AddEnvironmentVariables(EnvironmentPrefix);
    }

    public static IConfiguration Build() => new ConfigurationBuilder().AddDnsFpSources().Build();

    /// <summary>The Redis setting of the one-shot commands (stats, export): the flag, else Server:Redis, else the default.</summary>
    public static string RedisEndpoint(this IConfiguration settings, string? flag) => flag ?? settings["Server:Redis"] ?? new ServerOptions().Redis;

    public static Bands.BandOptions Bands(this IConfiguration settings) => settings.GetSection("Bands").Get<Bands.BandOptions>() ?? new Bands.BandOptions();
}
