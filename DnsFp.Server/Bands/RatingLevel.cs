namespace DnsFp.Server.Bands;

/// <summary>How the levels of a rating are named, once for the TXT record, lookup's text and lookup's JSON.</summary>
public static class RatingLevel
{
    /// <summary>The level's name: "signature", "label", "name", "class" or "unrated".</summary>
    public static string Name(RatingBasis basis) => basis switch
    {
        RatingBasis.Label => "label",
        RatingBasis.Signature => "signature",
        RatingBasis.Name => "name",
        RatingBasis.Class => "class",
        _ => "unrated",
    };

    /// <summary>The level with what it rated: "label", "signature", "name Linux 3.11 and newer", "class Linux"; null when unrated.</summary>
    public static string? Describe(RatingBasis basis, string label, string cls) => basis switch
    {
        RatingBasis.Name => $"name {Contract.SynSignature.NameOf(label)}",
        RatingBasis.Class => $"class {cls}",
        RatingBasis.Unrated => null,
        _ => Name(basis),
    };
}
