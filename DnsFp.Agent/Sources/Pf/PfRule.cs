namespace DnsFp.Agent.Sources.Pf;

/// <summary>A filter rule of the main ruleset: its number (as states print "rule N") and its "os" fingerprint, if any.</summary>
internal sealed record PfRule(int Number, string Text, string? Os);
