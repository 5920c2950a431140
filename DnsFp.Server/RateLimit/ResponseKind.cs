namespace DnsFp.Server.RateLimit;

/// <summary>What a response says, for rate limiting: each kind has its own budget and its own key (RateLimit/README.md).</summary>
internal enum ResponseKind
{
    /// <summary>Records in the answer section; keyed by name and type.</summary>
    Answer,
    /// <summary>NOERROR with no answer; keyed by name.</summary>
    NoData,
    /// <summary>NXDOMAIN; keyed by the zone, so a flood of random names shares one budget.</summary>
    NxDomain,
    /// <summary>REFUSED, FORMERR, NOTIMP, BADVERS; one budget per prefix.</summary>
    Error,
}
