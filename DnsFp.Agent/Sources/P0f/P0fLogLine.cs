using DnsFp.Contract;
using System.Net;

namespace DnsFp.Agent.Sources.P0f;

/// <summary>
/// A line of p0f's -o log: "[2026/11/27 04:49:20] mod=syn|cli=127.0.0.1/35548|srv=...|subj=cli|os=Linux 2.2.x-3.x|...".
/// Only client SYNs (mod=syn, subj=cli) say what OS a client runs; "os=???" means p0f saw it but could not tell:
/// "unnamed", in class Unknown. Each SYN's label carries the signature key of its raw_sig ("Linux 2.2.x-3.x [4:64:...]",
/// DnsFp.Contract/SynSignature.cs), as the capture source's do.
/// </summary>
internal static class P0fLogLine
{
    public enum Kind { Observation, Unrelated, Unparseable }

    public readonly record struct Result(Kind Kind, IPAddress? Client = null, string? Label = null, string? Problem = null, string? Class = null);

    public static Result Read(string line)
    {
        if (!line.StartsWith('[')) return new Result(Kind.Unparseable, Problem: "no [timestamp] at the start");
        int close = line.IndexOf("] ", StringComparison.Ordinal);
        if (close < 0) return new Result(Kind.Unparseable, Problem: "no [timestamp] at the start");
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in line[(close + 2)..].Split('|'))
        {
            int eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0) fields[part[..eq]] = part[(eq + 1)..];
        }
        if (!fields.TryGetValue("mod", out var mod)) return new Result(Kind.Unparseable, Problem: "no mod= field");
        if (mod != "syn" || fields.GetValueOrDefault("subj") != "cli") return new Result(Kind.Unrelated);
        if (!fields.TryGetValue("cli", out var cli) || !fields.TryGetValue("os", out var os)) return new Result(Kind.Unparseable, Problem: "syn line without cli= or os=");
        int slash = cli.LastIndexOf('/');
        if (slash < 0 || !IPAddress.TryParse(cli.AsSpan(0, slash), out var address)) return new Result(Kind.Unparseable, Problem: $"bad client '{cli}'");
        string? key = SynSignature.FromP0fRawSignature(fields.GetValueOrDefault("raw_sig") ?? "");
        bool named = os != "???";
        string cls = named ? OsLabel.ClassOf(os) : OsLabel.Unknown;
        if (key is null) return new Result(Kind.Observation, address, named ? os : OsLabel.Unknown, Class: cls);
        return new Result(Kind.Observation, address, SynSignature.Label(named ? os : SynSignature.Unnamed, key), Class: cls);
    }
}
