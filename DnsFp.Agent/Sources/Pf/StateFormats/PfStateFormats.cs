namespace DnsFp.Agent.Sources.Pf.StateFormats;

/// <summary>Every state-line era we read, tried in order. A line none of them reads is reported, never guessed.</summary>
internal static class PfStateFormats
{
    public static readonly IPfStateFormat[] All = [new StateKeyStateFormat(), new LanGwyExtStateFormat()];
}
