using System.Globalization;

namespace DnsFp.Contract;

/// <summary>Durations as operators write them on a command line: "500ms", "10s", "1m", "2h", "30d", "2w", or "00:00:10".</summary>
public static class DurationText
{
    public const string Examples = "10s, 1m, 2h, 30d, 2w or 00:00:10";

    public static bool TryParse(string text, out TimeSpan value)
    {
        value = default;
        (string Suffix, double Seconds)[] units = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86400), ("w", 7 * 86400)];
        foreach (var (suffix, seconds) in units)
        {
            if (text.EndsWith(suffix, StringComparison.Ordinal) && double.TryParse(text[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out double n) && n > 0 && n * seconds < TimeSpan.MaxValue.TotalSeconds)
            {
                value = TimeSpan.FromSeconds(n * seconds);
                return true;
            }
        }
        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value) && value > TimeSpan.Zero;
    }
}
