namespace DnsFp.Agent.Fingerprints;

/// <summary>A line of a signature file that was skipped, and why, in the words the reference tool would use.</summary>
internal sealed record SignatureProblem(int Line, string Message);
