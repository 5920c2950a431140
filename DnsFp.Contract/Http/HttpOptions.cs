using System.ComponentModel.DataAnnotations;
using System.Net;

namespace DnsFp.Contract.Http;

/// <summary>
/// Section "Server:Http" / "Agent:Http": the HTTP listener for metrics (and the server's status page). Off unless
/// Listen is set; meant for loopback or a management network, with optional basic authentication.
/// </summary>
public sealed class HttpOptions : IValidatableObject
{
    /// <summary>address:port to serve on, e.g. "127.0.0.1:8053" or "[::1]:8053"; empty (the default): no HTTP listener.</summary>
    public string Listen { get; set; } = "";

    /// <summary>Basic authentication user; with Password, every request must carry them. Empty: no authentication.</summary>
    public string User { get; set; } = "";

    /// <summary>Basic authentication password (put it in /etc/dnsfp/*.json or DNSFP_..._Http__Password, not in the repository).</summary>
    public string Password { get; set; } = "";

    public bool Enabled => Listen.Length > 0;

    public bool RequiresAuthentication => User.Length > 0;

    public IPEndPoint Endpoint() =>
        IPEndPoint.TryParse(Listen, out var ep) && (Listen.Contains("]:", StringComparison.Ordinal) || (!Listen.StartsWith('[') && Listen.Count(c => c == ':') == 1))
            ? ep
            : throw new FormatException($"Http:Listen '{Listen}' is not an address:port (write 127.0.0.1:8053 or [::1]:8053)");

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Enabled)
        {
            string? problem = null;
            try { Endpoint(); } catch (FormatException ex) { problem = ex.Message; }
            if (problem is not null) yield return new ValidationResult(problem, [nameof(Listen)]);
        }
        if ((User.Length > 0) != (Password.Length > 0))
            yield return new ValidationResult("Http:User and Http:Password go together: set both for basic authentication, or neither", [nameof(User), nameof(Password)]);
        if (User.Contains(':', StringComparison.Ordinal))
            yield return new ValidationResult("Http:User cannot contain ':' (RFC 7617)", [nameof(User)]);
    }
}
