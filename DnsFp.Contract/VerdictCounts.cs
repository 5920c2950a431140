using System.Globalization;

namespace DnsFp.Contract;

/// <summary>Field names inside a per-day counts hash (<see cref="RedisKeys.Counts"/>): "labelId:a" and "labelId:r".</summary>
public static class VerdictCounts
{
    public static string AcceptedField(long labelId) => labelId.ToString(CultureInfo.InvariantCulture) + ":a";

    public static string RejectedField(long labelId) => labelId.ToString(CultureInfo.InvariantCulture) + ":r";

    public static bool TryParseField(string field, out int labelId, out bool accepted)
    {
        accepted = false; labelId = 0;
        int colon = field.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0 || colon != field.Length - 2) return false;
        accepted = field[^1] == 'a';
        return (field[^1] is 'a' or 'r') && int.TryParse(field.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out labelId);
    }
}
