using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace DnsFp.Server.Cookies;

/// <summary>Section "Cookies": DNS COOKIEs (RFC 7873, RFC 9018). Environment: DNSFP_Cookies__Secret=...</summary>
public sealed class CookieOptions : IValidatableObject
{
    /// <summary>Answer COOKIE options with a server cookie. Default on.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// 32 hex digits (16 bytes), the same on every server of one list so they accept each other's cookies; keep it out
    /// of the repository (e.g. /etc/dnsfp/server.json, mode 0640). Empty: a random secret per start.
    /// </summary>
    public string? Secret { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Secret is { Length: > 0 } s && (s.Length != 32 || !s.All(Uri.IsHexDigit)))
            yield return new ValidationResult("Cookies:Secret must be 32 hex digits (16 bytes), e.g. from `openssl rand -hex 16`", [nameof(Secret)]);
    }

    public byte[] SecretBytes() => Secret is { Length: > 0 } s ? Convert.FromHexString(s) : System.Security.Cryptography.RandomNumberGenerator.GetBytes(16);
}

/// <summary>CookieOptions' checks (the attributes above and Validate), generated at compile time: no reflection, so the native build keeps them.</summary>
[OptionsValidator]
public sealed partial class CookieOptionsValidator : IValidateOptions<CookieOptions>;
