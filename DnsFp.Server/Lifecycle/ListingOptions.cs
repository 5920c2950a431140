using DnsFp.Contract;
using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace DnsFp.Server.Lifecycle;

/// <summary>
/// Section "Listing": how long a listing lives and what is never listed. Environment DNSFP_Listing__MaxAge=30.00:00:00,
/// DNSFP_Listing__Exclude__0=192.0.2.0/24, ...
/// </summary>
public sealed class ListingOptions : IValidatableObject
{
    /// <summary>An address not observed again for this long is no longer listed (whole days; "14.00:00:00"). Default 14 days.</summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromDays(14);

    /// <summary>Addresses and CIDR ranges never listed (the operator's own networks, partner relays).</summary>
    public List<string> Exclude { get; set; } = [];

    /// <summary>A file of more ranges, one per line, '#' comments; re-read when it changes and on SIGHUP.</summary>
    public string? ExcludeFile { get; set; }

    /// <summary>Also exclude the ranges no Internet sender comes from (<see cref="ReservedRanges"/>). Default true.</summary>
    public bool ExcludeReserved { get; set; } = true;

    /// <summary>How long one sweep over every bucket takes, paced evenly; expired data leaves Redis within about this. Default 1 hour.</summary>
    [TimeSpanRange("00:00:01", "7.00:00:00")]
    public TimeSpan SweepPass { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Whether this server takes part in sweeping (one of the servers sharing a Redis sweeps at a time). Default true.</summary>
    public bool Sweep { get; set; } = true;

    /// <summary>How long audit entries are kept. Default 400 days.</summary>
    [TimeSpanRange("1.00:00:00", "3650.00:00:00")]
    public TimeSpan AuditRetention { get; set; } = TimeSpan.FromDays(400);

    public int MaxAgeDays => (int)MaxAge.TotalDays;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MaxAge < TimeSpan.FromDays(1) || MaxAge.TotalDays > Contract.ListingRecord.MaxAgeDaysLimit)
            yield return new ValidationResult($"Listing:MaxAge must be 1 to {Contract.ListingRecord.MaxAgeDaysLimit} days (e.g. 14.00:00:00), not {MaxAge}", [nameof(MaxAge)]);
        foreach (var text in Exclude)
            if (!AddressRange.TryParse(text, out _, out var problem)) yield return new ValidationResult("Listing:Exclude: " + problem, [nameof(Exclude)]);
    }
}

/// <summary>ListingOptions' checks (the attributes above and Validate), generated at compile time: no reflection, so the native build keeps them.</summary>
[OptionsValidator]
public sealed partial class ListingOptionsValidator : IValidateOptions<ListingOptions>;
