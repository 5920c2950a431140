namespace DnsFp.Agent.Sources.Pf;

/// <summary>
/// The OS names pf can match with os "...": "Class", "Class Version", "Class Version Subtype", read from
/// "pfctl -so" output (reference/pfctl/pfctl-so.*) or straight from a pf.os file, whose lines are
/// "wwww:ttt:D:ss:OOO...:OS:Version:Subtype:Details" (pf.os(5); Debian ships it in nftables' examples).
/// </summary>
internal static class PfOsNames
{
    public static List<string[]> Read(IEnumerable<string> lines, out int badLines)
    {
        badLines = 0;
        var names = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<string[]>();
        void Add(string[] parts)
        {
            for (int depth = 1; depth <= parts.Length; depth++)
            {
                var name = parts[..depth];
                if (names.Add(string.Join(' ', name))) result.Add(name);
            }
        }
        foreach (var raw in lines)
        {
            var line = raw.TrimEnd('\r', '\n');
            if (line.Length == 0 || line.StartsWith('#') || line.StartsWith("Class\t", StringComparison.Ordinal) || line.StartsWith("-----", StringComparison.Ordinal)
                || line.StartsWith("OS FINGERPRINTS", StringComparison.Ordinal) || line.EndsWith("fingerprints loaded", StringComparison.Ordinal)) continue;
            var fields = line.Split(':');
            if (fields.Length >= 9)
            {
                // pf.os line: class, version, subtype are fields 6-8; the class is preceded by tabs in the real file and
                // may carry p0f's "*" (no distance) or "@" (approximate group) prefix, which pfctl -so does not show
                var cls = fields[5].Trim().TrimStart('*', '@');
                Add(new[] { cls, fields[6].Trim(), fields[7].Trim() }.TakeWhile(f => f.Length > 0 && f != "*").ToArray());
                continue;
            }
            var parts = line.Split('\t').Where(p => p.Length > 0).ToArray();              // pfctl -so line
            if (parts.Length is >= 1 and <= 3 && !line.Contains(':', StringComparison.Ordinal)) Add(parts);
            else badLines++;
        }
        return result;
    }

    /// <summary>Most specific first (subtype, then version, then class), so a broad name never shadows a narrower one under "quick".</summary>
    public static IEnumerable<string> InRuleOrder(IEnumerable<string[]> names) =>
        names.OrderByDescending(n => n.Length).ThenBy(n => string.Join(' ', n), StringComparer.OrdinalIgnoreCase).Select(n => string.Join(' ', n));
}
