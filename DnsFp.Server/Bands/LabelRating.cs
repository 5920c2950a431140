namespace DnsFp.Server.Bands;

/// <summary>How one label is rated: its band, whether the label's own counts or its class's counts decided, and the counts.</summary>
public sealed record LabelRating(uint Band, RatingBasis Basis, long Accepted, long Rejected);

/// <summary>Which counts rated a label: its own (a label without a signature), its signature's own (the label with
/// one), its name's (all signatures of that name), its class's, or none.</summary>
public enum RatingBasis { Label, Class, Unrated, Signature, Name }
