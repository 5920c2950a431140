using DnsFp.Contract;
using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace DnsFp.Server.Folding;

/// <summary>Section "Fold": how this server folds agents' facts into state.</summary>
public sealed class FoldOptions
{
    /// <summary>Whether this server folds facts at all (one or more servers must). Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Name of this server in the fold consumer group. Default: the host name.</summary>
    public string? ConsumerName { get; set; }

    /// <summary>
    /// Stream entries read per shard stream per round trip (an agent's batch entry holds up to 1,000 facts of one
    /// shard; there are 65 streams). Default 8.
    /// </summary>
    [Range(1, 100_000)]
    public int BatchSize { get; set; } = 8;

    /// <summary>Days that per-day counts and seen-sets are kept (at least the band window). Default 35.</summary>
    [Range(2, 3660)]
    public int RetentionDays { get; set; } = 35;

    /// <summary>
    /// How long the change feed keeps an entry (trimmed by age, by Redis' clock). A server that falls further behind
    /// loads the index afresh, so this only needs to cover short stalls. Default 2 minutes.
    /// </summary>
    [TimeSpanRange("00:00:05", "1.00:00:00")]
    public TimeSpan ChangeFeedAge { get; set; } = Follower.ChangeFeed.DefaultRetention;
}

/// <summary>FoldOptions' checks (the attributes above), generated at compile time: no reflection, so the native build keeps them.</summary>
[OptionsValidator]
public sealed partial class FoldOptionsValidator : IValidateOptions<FoldOptions>;
