using System.ComponentModel.DataAnnotations;

namespace DnsFp.Server.Folding;

/// <summary>Section "Fold": how this server folds agents' facts into state.</summary>
public sealed class FoldOptions
{
    /// <summary>Whether this server folds facts at all (one or more servers must). Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Name of this server in the fold consumer group. Default: the host name.</summary>
    public string? ConsumerName { get; set; }

    /// <summary>Facts read per round trip. Default 500.</summary>
    [Range(1, 100_000)]
    public int BatchSize { get; set; } = 500;

    /// <summary>Days that per-day counts and seen-sets are kept (at least the band window). Default 35.</summary>
    [Range(2, 3660)]
    public int RetentionDays { get; set; } = 35;

    /// <summary>Approximate length the change stream is trimmed to. Default 1,000,000.</summary>
    [Range(1000, 100_000_000)]
    public int ChangeStreamLength { get; set; } = 1_000_000;
}
