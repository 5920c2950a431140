using System.Text.Json;
using System.Text.RegularExpressions;

namespace DnsFp.Tests.Support;

/// <summary>deploy/grafana/dnsfp.json: the metric families its panels' queries name.</summary>
public static partial class GrafanaDashboard
{
    public static IReadOnlyCollection<string> MetricFamilies(string prefix)
    {
        var root = JsonDocument.Parse(File.ReadAllText(RepoPaths.Deploy("grafana/dnsfp.json"))).RootElement;
        var exprs = root.GetProperty("panels").EnumerateArray()
            .SelectMany(p => p.GetProperty("targets").EnumerateArray()).Select(t => t.GetProperty("expr").GetString()!);
        return exprs.SelectMany(e => MetricName().Matches(e).Select(m => m.Value))
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal))
            .Select(n => n.EndsWith("_bucket", StringComparison.Ordinal) ? n[..^"_bucket".Length] : n)
            .ToHashSet(StringComparer.Ordinal);
    }

    [GeneratedRegex("dnsfp_[a-z0-9_]+")]
    private static partial Regex MetricName();
}
