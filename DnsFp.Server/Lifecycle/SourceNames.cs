using DnsFp.Contract;

namespace DnsFp.Server.Lifecycle;

/// <summary>The names operators read for <see cref="ObservationSources"/> bits: "pf", "p0f", "capture", "import"; a record with none is a probe's (or an agent's from before sources were sent).</summary>
internal static class SourceNames
{
    public static string Of(ObservationSources sources)
    {
        var names = new List<string>(4);
        if (sources.HasFlag(ObservationSources.Pf)) names.Add("pf");
        if (sources.HasFlag(ObservationSources.P0f)) names.Add("p0f");
        if (sources.HasFlag(ObservationSources.Capture)) names.Add("capture");
        if (sources.HasFlag(ObservationSources.Import)) names.Add("import");
        if (sources.HasFlag(ObservationSources.Probe)) names.Add("probe");
        return names.Count == 0 ? "probe or unknown" : string.Join(",", names);
    }
}
