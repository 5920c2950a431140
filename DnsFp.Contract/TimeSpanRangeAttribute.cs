using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace DnsFp.Contract;

/// <summary>
/// A TimeSpan setting's bounds ("00:00:01" to "1.00:00:00"). DataAnnotations' Range(typeof(TimeSpan), ...) finds its
/// parser through TypeConverter reflection, which Native AOT cannot keep; this one parses the bounds itself, so the
/// [OptionsValidator] source generator can use it in the native binaries.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class TimeSpanRangeAttribute(string minimum, string maximum) : ValidationAttribute
{
    public TimeSpan Minimum { get; } = TimeSpan.Parse(minimum, CultureInfo.InvariantCulture);
    public TimeSpan Maximum { get; } = TimeSpan.Parse(maximum, CultureInfo.InvariantCulture);

    public override bool IsValid(object? value) => value is not TimeSpan t || (t >= Minimum && t <= Maximum);

    public override string FormatErrorMessage(string name) => $"{name} must be from {Minimum} to {Maximum}";
}
