using System.CommandLine.Parsing;
using System.Globalization;

namespace DnsFp.Agent.Commands;

/// <summary>Durations as operators write them on a command line: "10s", "1m", "500ms", "2h", or "00:00:10".</summary>
internal static class DurationText
{
    public static TimeSpan? Parse(string text, ArgumentResult result)
    {
        if (TryParse(text, out var value)) return value;
        result.AddError($"'{text}' is not a duration (write 10s, 1m, 500ms or 00:00:10)");
        return null;
    }

    public static bool TryParse(string text, out TimeSpan value)
    {
        value = default;
        (string Suffix, double Seconds)[] units = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)];
        foreach (var (suffix, seconds) in units)
        {
            if (text.EndsWith(suffix, StringComparison.Ordinal) && double.TryParse(text[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out double n) && n > 0)
            {
                value = TimeSpan.FromSeconds(n * seconds);
                return true;
            }
        }
        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value) && value > TimeSpan.Zero;
    }
}
