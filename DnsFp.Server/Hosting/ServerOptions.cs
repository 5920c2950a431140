using System.ComponentModel.DataAnnotations;
using System.Net;

namespace DnsFp.Server.Hosting;

/// <summary>
/// Section "Server" of appsettings.json; environment DNSFP_Server__Redis, DNSFP_Server__Listen__0, ...; flags
/// --listen/--zones/--redis of "run" win over both.
/// </summary>
public sealed class ServerOptions : IValidatableObject
{
    /// <summary>Addresses to answer on, UDP and TCP each: "127.0.0.1:53", "[::1]:53". Default 127.0.0.1:53.</summary>
    [MinLength(1)]
    public List<string> Listen { get; set; } = ["127.0.0.1:53"];

    /// <summary>Folder whose *.zone master files name the zones served. Default "zones".</summary>
    [Required]
    public string Zones { get; set; } = "zones";

    /// <summary>StackExchange.Redis configuration string, e.g. "127.0.0.1:6379" or "redis:6379,user=dnsfp-server,password=...". Default 127.0.0.1:6379.</summary>
    [Required]
    public string Redis { get; set; } = "127.0.0.1:6379";

    /// <summary>Threads receiving UDP per listen address. Default: one per core.</summary>
    [Range(1, 256)]
    public int UdpWorkers { get; set; } = Environment.ProcessorCount;

    public IEnumerable<IPEndPoint> ListenEndpoints() => Listen.Select(ParseEndpoint);

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
