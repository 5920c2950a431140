namespace DnsFp.Agent.Import;

/// <summary>
/// Lines of one input that could not be parsed, with their numbers, so the operator can find them. Reading goes on
/// past them; the import's exit code says whether there were any.
/// </summary>
internal sealed class LineProblems(string source)
{
    private const int Kept = 20;
    private readonly List<(int Line, string Reason, string Text)> _first = [];

    public string Source { get; } = source;

    public int Count { get; private set; }

    public void Add(int lineNumber, string reason, string text)
    {
        Count++;
        if (_first.Count < Kept) _first.Add((lineNumber, reason, text.Length > 160 ? text[..160] + "…" : text));
    }

    public void WriteTo(TextWriter output)
    {
        if (Count == 0) return;
        output.WriteLine($"{Source}: {Count} line(s) could not be parsed and were skipped:");
        foreach (var (line, reason, text) in _first) output.WriteLine($"  line {line}: {reason}: {text}");
        if (Count > Kept) output.WriteLine($"  ... and {Count - Kept} more");
    }
}
