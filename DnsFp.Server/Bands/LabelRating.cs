namespace DnsFp.Server.Bands;

/// <summary>How one label is rated: its band, whether the label's own counts or its class's counts decided, and the counts.</summary>
public sealed record LabelRating(uint Band, RatingBasis Basis, long Accepted, long Rejected);

public enum RatingBasis { Label, Class, Unrated }
