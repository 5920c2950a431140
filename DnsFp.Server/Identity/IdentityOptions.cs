using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace DnsFp.Server.Identity;

/// <summary>
/// Which server of several answered, in section "Server" (as Knot's server.identity and server.nsid): Server:Nsid for
/// the EDNS NSID option (RFC 5001), Server:Identity for CHAOS TXT id.server and hostname.bind. Both off by default,
/// since a public server need not say its host name.
/// </summary>
public sealed class IdentityOptions : IValidatableObject
{
    /// <summary>Sent in NSID to clients that ask for it. Empty: no NSID.</summary>
    public string? Nsid { get; set; }

    /// <summary>Answered to CHAOS TXT id.server. and hostname.bind. Empty: those are REFUSED.</summary>
    public string? Identity { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, value) in new[] { (nameof(Nsid), Nsid), (nameof(Identity), Identity) })
            if (value is { } v && (v.Length > 200 || v.Any(c => c is < ' ' or > '~')))
                yield return new ValidationResult($"Server:{name} must be printable ASCII, at most 200 characters", [name]);
    }
}

/// <summary>IdentityOptions' checks (the attributes above and Validate), generated at compile time: no reflection, so the native build keeps them.</summary>
[OptionsValidator]
public sealed partial class IdentityOptionsValidator : IValidateOptions<IdentityOptions>;
