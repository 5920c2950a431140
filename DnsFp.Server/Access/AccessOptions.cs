using System.ComponentModel.DataAnnotations;
using DnsFp.Server.Lifecycle;
using Microsoft.Extensions.Options;

namespace DnsFp.Server.Access;

/// <summary>
/// The query ACL, in section "Server" beside the listen addresses: Server:Allow, Server:Deny (CIDR lists) and
/// Server:DenyAction. Re-read on SIGHUP. Environment: DNSFP_Server__Deny__0=198.51.100.0/24.
/// </summary>
public sealed class AccessOptions : IValidatableObject
{
    /// <summary>When not empty, only clients in these ranges are answered. Default: empty (everyone).</summary>
    public List<string> Allow { get; set; } = [];

    /// <summary>Clients in these ranges are never answered; Deny wins over Allow.</summary>
    public List<string> Deny { get; set; } = [];

    /// <summary>What a denied client gets: Refuse (REFUSED, as rbldnsd's ACL "refuse") or Drop (nothing, as "ignore"). Default Refuse.</summary>
    public DenyAction DenyAction { get; set; } = DenyAction.Refuse;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, list) in new[] { (nameof(Allow), Allow), (nameof(Deny), Deny) })
            foreach (var text in list)
                if (!AddressRange.TryParse(text, out _, out var problem)) yield return new ValidationResult($"Server:{name}: {problem}", [name]);
    }
}

public enum DenyAction { Refuse, Drop }

/// <summary>AccessOptions' checks (the attributes above and Validate), generated at compile time: no reflection, so the native build keeps them.</summary>
[OptionsValidator]
public sealed partial class AccessOptionsValidator : IValidateOptions<AccessOptions>;
