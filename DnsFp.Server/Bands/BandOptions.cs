using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace DnsFp.Server.Bands;

/// <summary>How verdicts become bands. Section "Bands" of appsettings.json, or DNSFP_Bands__MinimumVerdicts etc.</summary>
public sealed class BandOptions
{
    /// <summary>Verdicts a label (else its class) needs within the window to be rated. Default 50.</summary>
    [Range(1, 1_000_000)]
    public int MinimumVerdicts { get; set; } = 50;

    /// <summary>Length of the sliding window, in days, today included. Default 7.</summary>
    [Range(1, 366)]
    public int WindowDays { get; set; } = 7;
}

/// <summary>BandOptions' checks (the attributes above), generated at compile time: no reflection, so the native build keeps them.</summary>
[OptionsValidator]
public sealed partial class BandOptionsValidator : IValidateOptions<BandOptions>;
