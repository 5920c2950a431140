using System.Net;

namespace DnsFp.Agent.Verdicts;

/// <summary>
/// What one mail-log line says about an SMTP client: its message was accepted or rejected, or nothing. A
/// <see cref="Continuation"/> is a line the program itself writes that belongs to the entry above it (Exim's
/// continuation lines, the rejectlog's header dumps): no verdict, not a problem, skipped and counted.
/// </summary>
public enum LineMeaning { Accepted, Rejected, Unrelated, Unparseable, Continuation }

internal readonly record struct Verdict(LineMeaning Meaning, IPAddress? Client, string? Problem = null)
{
    public static Verdict Unrelated { get; } = new(LineMeaning.Unrelated, null);

    public static Verdict Continuation { get; } = new(LineMeaning.Continuation, null);

    public static Verdict Garbled(string problem) => new(LineMeaning.Unparseable, null, problem);
}
