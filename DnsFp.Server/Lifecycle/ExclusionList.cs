namespace DnsFp.Server.Lifecycle;

/// <summary>
/// The excluded ranges from every place they are named: Listing:Exclude, the reserved ranges (unless
/// Listing:ExcludeReserved is false) and Listing:ExcludeFile. The file has one address or CIDR range per line;
/// '#' starts a comment, and a leading '!' is allowed so rbldnsd exclusion lines can be pasted as they are. One bad
/// line rejects the whole file (a half-read list could list a partner), with an error naming file and line.
/// </summary>
internal static class ExclusionList
{
    public sealed record Loaded(RangeSet Ranges, int FromSettings, int Reserved, int FromFile);

    /// <exception cref="FormatException">A setting or a line of the file is not a range.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static Loaded Load(ListingOptions options)
    {
        var ranges = new List<AddressRange>();
        foreach (var text in options.Exclude) ranges.Add(Parse(text, "Listing:Exclude"));
        int fromSettings = ranges.Count;
        if (options.ExcludeReserved) ranges.AddRange(ReservedRanges.Cidrs.Select(AddressRange.Parse));
        int reserved = ranges.Count - fromSettings;
        if (options.ExcludeFile is { Length: > 0 } file) ranges.AddRange(ReadFile(file));
        return new Loaded(new RangeSet(ranges), fromSettings, reserved, ranges.Count - fromSettings - reserved);
    }

    private static List<AddressRange> ReadFile(string path)
    {
        string[] lines;
        try { lines = File.ReadAllLines(path); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"cannot read the exclusion file {path} (Listing:ExcludeFile): {ex.Message}", ex);
        }
        var result = new List<AddressRange>(lines.Length);
        for (int i = 0; i < lines.Length; i++)
        {
            string text = lines[i];
            int hash = text.IndexOf('#', StringComparison.Ordinal);
            if (hash >= 0) text = text[..hash];
            text = text.Trim().TrimStart('!');
            if (text.Length == 0) continue;
            result.Add(Parse(text, $"{path} line {i + 1}"));
        }
        return result;
    }

    private static AddressRange Parse(string text, string where) =>
        AddressRange.TryParse(text, out var range, out var problem) ? range.Value : throw new FormatException($"{where}: {problem}");
}
