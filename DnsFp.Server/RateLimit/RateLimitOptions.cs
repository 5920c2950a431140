using DnsFp.Contract;
using System.ComponentModel.DataAnnotations;
using DnsFp.Server.Lifecycle;
using Microsoft.Extensions.Options;

namespace DnsFp.Server.RateLimit;

/// <summary>
/// Section "RateLimit": response rate limiting as BIND, NSD and Knot do it. The budgets are responses per second per
/// client prefix and per kind of answer; why the defaults are what they are is in README.md beside this file.
/// Environment: DNSFP_RateLimit__NxDomainsPerSecond=2000, DNSFP_RateLimit__Exempt__0=192.0.2.0/24.
/// </summary>
public sealed class RateLimitOptions : IValidatableObject
{
    /// <summary>Off: every UDP query is answered. Default on.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Positive answers (a listing, a zone record) per second for one name and type. Default 100; 0 = unlimited.</summary>
    [Range(0, 100_000)]
    public int ResponsesPerSecond { get; set; } = 100;

    /// <summary>NODATA answers per second for one name. Default 100; 0 = unlimited.</summary>
    [Range(0, 100_000)]
    public int NoDataPerSecond { get; set; } = 100;

    /// <summary>NXDOMAIN answers per second for the whole zone (every name not listed counts in one budget). Default 1000; 0 = unlimited.</summary>
    [Range(0, 100_000)]
    public int NxDomainsPerSecond { get; set; } = 1000;

    /// <summary>REFUSED, FORMERR and other errors per second, whatever the name. Default 100; 0 = unlimited.</summary>
    [Range(0, 100_000)]
    public int ErrorsPerSecond { get; set; } = 100;

    /// <summary>Seconds over which a flood is remembered: a prefix over budget must slow down for up to this long. Default 15.</summary>
    [Range(1, 60)]
    public int Window { get; set; } = 15;

    /// <summary>Of the responses over budget, every Nth is sent as an empty truncated (TC) answer, so a real client behind a spoofed flood retries over TCP; 0 = drop all, 1 = truncate all. Default 2.</summary>
    [Range(0, 10)]
    public int Slip { get; set; } = 2;

    /// <summary>Clients are counted per IPv4 prefix of this length. Default 24.</summary>
    [Range(8, 32)]
    public int IPv4PrefixLength { get; set; } = 24;

    /// <summary>Clients are counted per IPv6 prefix of this length. Default 56.</summary>
    [Range(16, 64)]
    public int IPv6PrefixLength { get; set; } = 56;

    /// <summary>Clients never limited (the site's own resolvers and MTAs, monitoring). Default: none, as in BIND, NSD and Knot.</summary>
    public List<string> Exempt { get; set; } = [];

    /// <summary>Also never limit loopback (127.0.0.0/8, ::1): a resolver on the same host, local benchmarks. Default false.</summary>
    public bool ExemptLoopback { get; set; }

    public IEnumerable<string> ExemptRanges() => ExemptLoopback ? [.. Exempt, "127.0.0.0/8", "::1"] : Exempt;

    /// <summary>Entries in the limiter's table (a power of two; 8 bytes each). Default 65,536.</summary>
    [Range(1024, 1 << 24)]
    public int TableSize { get; set; } = 1 << 16;

    /// <summary>How often what was limited is logged (only when something was). Default 1 minute.</summary>
    [TimeSpanRange("00:00:01", "1.00:00:00")]
    public TimeSpan LogInterval { get; set; } = TimeSpan.FromMinutes(1);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if ((TableSize & (TableSize - 1)) != 0) yield return new ValidationResult($"RateLimit:TableSize must be a power of two, not {TableSize}", [nameof(TableSize)]);
        foreach (var text in Exempt)
            if (!AddressRange.TryParse(text, out _, out var problem)) yield return new ValidationResult($"RateLimit:Exempt: {problem}", [nameof(Exempt)]);
    }
}

/// <summary>RateLimitOptions' checks (the attributes above and Validate), generated at compile time: no reflection, so the native build keeps them.</summary>
[OptionsValidator]
public sealed partial class RateLimitOptionsValidator : IValidateOptions<RateLimitOptions>;
