using System.Globalization;
using System.Text;

namespace DnsFp.Tests.Support;

/// <summary>
/// A scrape parsed as the Prometheus text exposition format (0.0.4): # HELP / # TYPE lines, then samples
/// "name{label="value",...} number". A line that is neither throws, as does a sample whose metric family has no TYPE.
/// </summary>
public sealed class PrometheusText
{
    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

    public IReadOnlyList<Sample> Samples { get; }

    public IReadOnlyDictionary<string, string> Types { get; }

    private PrometheusText(List<Sample> samples, Dictionary<string, string> types) { Samples = samples; Types = types; }

    public static PrometheusText Parse(string text)
    {
        var samples = new List<Sample>();
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in text.Split('\n'))
        {
            string line = raw.TrimEnd('\r');
            if (line.Length == 0) continue;
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line[7..].Split(' ');
                if (parts.Length != 2 || parts[1] is not ("counter" or "gauge" or "histogram" or "summary" or "untyped")) throw new FormatException("bad TYPE line: " + line);
                types[parts[0]] = parts[1];
                continue;
            }
            if (line.StartsWith('#')) continue;
            samples.Add(ParseSample(line));
            string family = samples[^1].Name;
            foreach (var suffix in new[] { "_bucket", "_sum", "_count" })
                if (!types.ContainsKey(family) && family.EndsWith(suffix, StringComparison.Ordinal)) family = family[..^suffix.Length];
            if (!types.ContainsKey(family)) throw new FormatException("sample without a TYPE line for its family: " + line);
        }
        return new PrometheusText(samples, types);
    }

    private static Sample ParseSample(string line)
    {
        int i = 0;
        while (i < line.Length && (char.IsAsciiLetterOrDigit(line[i]) || line[i] is '_' or ':')) i++;
        if (i == 0) throw new FormatException("no metric name: " + line);
        string name = line[..i];
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (i < line.Length && line[i] == '{')
        {
            i++;
            while (line[i] != '}')
            {
                int start = i;
                while (char.IsAsciiLetterOrDigit(line[i]) || line[i] == '_') i++;
                string key = line[start..i];
                if (line[i] != '=' || line[i + 1] != '"') throw new FormatException("bad label: " + line);
                i += 2;
                var value = new StringBuilder();
                while (line[i] != '"')
                {
                    if (line[i] == '\\') { i++; value.Append(line[i] == 'n' ? '\n' : line[i]); }
                    else value.Append(line[i]);
                    i++;
                }
                i++;
                labels[key] = value.ToString();
                if (line[i] == ',') i++;
            }
            i++;
        }
        var rest = line[i..].Trim().Split(' ');
        double number = rest[0] switch
        {
            "+Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            "NaN" => double.NaN,
            var v => double.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture),
        };
        return new Sample(name, labels, number);
    }

    /// <summary>The sum of the samples named <paramref name="name"/> whose labels include all of <paramref name="labels"/> ("k=v"); 0 when none.</summary>
    public double Value(string name, params string[] labels) => Samples
        .Where(s => s.Name == name && labels.All(l => l.Split('=', 2) is var kv && s.Labels.TryGetValue(kv[0], out var v) && v == kv[1]))
        .Sum(s => s.Value);

    public bool Has(string name) => Samples.Any(s => s.Name == name);
}
