using Microsoft.Extensions.Configuration;

namespace DnsFp.Agent;

/// <summary>Where the agent reads its settings, lowest priority first: appsettings.json next to the program,
/// /etc/dnsfp/agent.json, DNSFP_-prefixed environment variables (DNSFP_Agent__Redis); flags win over all.</summary>
internal static class AgentConfiguration
{
    public const string SystemFile = "/etc/dnsfp/agent.json";

    public static IConfiguration Build() => new ConfigurationBuilder()
        .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
        .AddJsonFile(SystemFile, optional: true)
        .AddEnvironmentVariables("DNSFP_")
        .Build();

    public static string RedisEndpoint(string? flag) => flag ?? Build()["Agent:Redis"] ?? "127.0.0.1:6379";
}
