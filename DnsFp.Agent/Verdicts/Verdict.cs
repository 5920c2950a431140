using System.Net;

namespace DnsFp.Agent.Verdicts;

/// <summary>What one mail-log line says about an SMTP client: its message was accepted or rejected, or nothing.</summary>
public enum LineMeaning { Accepted, Rejected, Unrelated, Unparseable }

internal readonly record struct Verdict(LineMeaning Meaning, IPAddress? Client, string? Problem = null)
{
    public static Verdict Unrelated { get; } = new(LineMeaning.Unrelated, null);

    public static Verdict Garbled(string problem) => new(LineMeaning.Unparseable, null, problem);
}
