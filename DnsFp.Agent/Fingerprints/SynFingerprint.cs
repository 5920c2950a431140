namespace DnsFp.Agent.Fingerprints;

/// <summary>
/// What one signature database says about one SYN: the OS label as the reference tool prints it, which database
/// said so, and how good the match is ("exact", or p0f's "generic" / "fuzzy"; pf.os' "@" lines are "generic").
/// </summary>
internal sealed record SynFingerprint(string Database, string Label, string Quality, bool Matched)
{
    /// <summary>Quality of "no signature matched".</summary>
    public const string NoMatch = "-";
}
