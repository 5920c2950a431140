using System.CommandLine;
using DnsFp.Server.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace DnsFp.Server.Commands;

/// <summary>"dnsfp-server run": the authoritative DNSBL server.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var listen = new Option<string[]>("--listen")
        {
            Description = "Address:port to answer DNS on, UDP and TCP; repeat for more (IPv4 127.0.0.1:53, IPv6 [::1]:53). Setting: Server:Listen",
            AllowMultipleArgumentsPerToken = false,
        };
        var zones = new Option<string?>("--zones") { Description = "Folder of *.zone master files (SOA, NS) naming the zones to serve. Setting: Server:Zones" };
        var redis = new Option<string?>("--redis") { Description = "Redis to load and follow, host:port or a StackExchange.Redis configuration string. Sentinel: \"s1:26379,s2:26379,serviceName=dnsfp\"; Cluster: some primaries, \"n1:6379,n2:6379\". Setting: Server:Redis" };
        var http = new Option<string?>("--http") { Description = "Address:port for HTTP: Prometheus metrics at /metrics, the status page at /, /lookup, /health (e.g. 127.0.0.1:8053; off by default). Settings: Server:Http:Listen, Server:Http:User and Server:Http:Password for basic authentication" };
        var config = new Option<string?>("--config") { Description = "A JSON settings file read after /etc/dnsfp/server.json (same sections as appsettings.json); re-read with the others on SIGHUP" };
        var command = new Command("run", """
            Serve the fingerprint DNSBL. Loads the index from Redis (and keeps answering the RFC 5782 test entries while
            Redis is down), follows changes so new facts are answered within a second, and folds agents' facts into
            state. Settings come from appsettings.json, /etc/dnsfp/server.json and DNSFP_* environment variables
            (DNSFP_Server__Redis=...), then these flags. SIGHUP re-reads the settings files: the query ACL
            (Server:Allow, Server:Deny) and the exclusions take their new values. Zone transfers to secondaries
            (AXFR, IXFR, NOTIFY, TSIG) are off until Transfer:Allow lists them ("192.0.2.53 KEYNAME" or "NOKEY"),
            with Transfer:Notify, Transfer:KeyFile (tsig-keygen's output). Stop with SIGTERM or Ctrl-C.
            """) { listen, zones, redis, http, config };
        command.SetAction((result, stop) => RunAsync(result.GetValue(listen), result.GetValue(zones), result.GetValue(redis), result.GetValue(http), result.GetValue(config), stop));
        return command;
    }

    private static async Task<int> RunAsync(string[]? listen, string? zones, string? redis, string? http, string? config, CancellationToken stop)
    {
        IHost host;
        try
        {
            host = ServerHost.Build(o =>
            {
                if (listen is { Length: > 0 }) o.Listen = [.. listen];
                if (zones is not null) o.Zones = zones;
                if (redis is not null) o.Redis = redis;
                if (http is not null) o.Http.Listen = http;
            }, settingsFile: config);
            await host.StartAsync(stop);
        }
        catch (OptionsValidationException ex)
        {
            await Console.Error.WriteLineAsync("dnsfp-server: invalid settings: " + string.Join("; ", ex.Failures));
            return ExitCodes.Config;
        }
        catch (Exception ex) when (ex is FormatException or IOException or System.Net.Sockets.SocketException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync("dnsfp-server: cannot start: " + ex.Message);
            return ExitCodes.Config;
        }
        await host.WaitForShutdownAsync(CancellationToken.None);
        host.Dispose();
        return ExitCodes.Ok;
    }
}
