using DnsFp.Contract;
using System.ComponentModel.DataAnnotations;
using System.Net;
using Microsoft.Extensions.Options;

namespace DnsFp.Server.Hosting;

/// <summary>
/// Section "Server" of appsettings.json; environment DNSFP_Server__Redis, DNSFP_Server__Listen__0, ...; flags
/// --listen/--zones/--redis of "run" win over both.
/// </summary>
public sealed class ServerOptions : IValidatableObject
{
    /// <summary>Addresses to answer on, UDP and TCP each: "127.0.0.1:53", "[::1]:53". Default 127.0.0.1:53.</summary>
    // Empty, not the default: the configuration binder appends to a list it finds, so a default here would be
    // answered on besides every configured address.
    public List<string> Listen { get; set; } = [];

    public const string DefaultListen = "127.0.0.1:53";

    /// <summary>Folder whose *.zone master files name the zones served. Default "zones".</summary>
    [Required]
    public string Zones { get; set; } = "zones";

    /// <summary>StackExchange.Redis configuration string, e.g. "127.0.0.1:6379", "redis:6379,user=dnsfp-server,password=...", a Sentinel setup "s1:26379,s2:26379,serviceName=dnsfp" or Cluster primaries "n1:6379,n2:6379". Default 127.0.0.1:6379.</summary>
    [Required]
    public string Redis { get; set; } = "127.0.0.1:6379";

    /// <summary>Threads receiving UDP per listen address. Default: one per core.</summary>
    [Range(1, 256)]
    public int UdpWorkers { get; set; } = Environment.ProcessorCount;

    /// <summary>TCP connections open at once per listen address; at the limit, the one idle longest is closed for a new client. Default 1000.</summary>
    [Range(1, 100_000)]
    public int TcpMaxConnections { get; set; } = 1000;

    /// <summary>TCP connections one client address may hold; beyond, its own oldest idle one is closed. Default 100.</summary>
    [Range(1, 100_000)]
    public int TcpMaxPerClient { get; set; } = 100;

    /// <summary>A TCP connection with no query for this long is closed (RFC 7766 6.2.3 suggests seconds). Default 10 s.</summary>
    [TimeSpanRange("00:00:00.100", "00:10:00")]
    public TimeSpan TcpIdleTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The HTTP listener: metrics and the status page (Status/README.md). Off unless Server:Http:Listen is set.</summary>
    [ValidateObjectMembers]
    public Contract.Http.HttpOptions Http { get; set; } = new();

    internal Transports.TcpLimits TcpLimits() => new(TcpMaxConnections, TcpMaxPerClient, TcpIdleTimeout);

    public IEnumerable<IPEndPoint> ListenEndpoints() => (Listen.Count > 0 ? Listen : [DefaultListen]).Select(ParseEndpoint);

    public static IPEndPoint ParseEndpoint(string text) =>
        IPEndPoint.TryParse(text, out var ep) && (text.Contains("]:", StringComparison.Ordinal) || (!text.StartsWith('[') && text.Count(c => c == ':') == 1))
            ? ep
            : throw new FormatException($"'{text}' is not an address:port to listen on (write 127.0.0.1:53 or [::1]:53)");

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var listen in Listen)
        {
            string? problem = null;
            try { ParseEndpoint(listen); } catch (FormatException ex) { problem = ex.Message; }
            if (problem is not null) yield return new ValidationResult(problem, [nameof(Listen)]);
        }
    }
}

/// <summary>ServerOptions' checks (the attributes above and Validate), generated at compile time: no reflection, so the native build keeps them.</summary>
[OptionsValidator]
public sealed partial class ServerOptionsValidator : IValidateOptions<ServerOptions>;
