using System.Globalization;

namespace DnsFp.Server.Lifecycle;

/// <summary>
/// One delisting: a range kept out of DNS and exports until <see cref="Until"/>, set by <see cref="User"/> at
/// <see cref="At"/> for <see cref="Reason"/>. Stored as hash field = range, value = "until TAB at TAB user TAB reason"
/// (Unix seconds) in <see cref="Contract.RedisKeys.Delistings"/>.
/// </summary>
internal sealed record Delisting(AddressRange Range, DateTimeOffset Until, DateTimeOffset At, string User, string Reason)
{
    public string StoredValue() => string.Join('\t',
        Until.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), At.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
        Clean(User), Clean(Reason));

    public static Delisting? FromStored(string field, string value)
    {
        var p = value.Split('\t', 4);
        if (p.Length != 4 || !AddressRange.TryParse(field, out var range, out _)
            || !long.TryParse(p[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out long until)
            || !long.TryParse(p[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out long at)) return null;
        return new Delisting(range.Value, DateTimeOffset.FromUnixTimeSeconds(until), DateTimeOffset.FromUnixTimeSeconds(at), p[2], p[3]);
    }

    public bool IsInForce(DateTimeOffset now) => Until > now;

    // tabs and newlines would break the stored form and the one-line outputs
    private static string Clean(string text) => text.ReplaceLineEndings(" ").Replace('\t', ' ');
}
