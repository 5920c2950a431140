namespace DnsFp.Server.Lifecycle;

/// <summary>Why an address is or is not answered, as lookup prints it.</summary>
internal enum ListingStatus { Listed, NeverSeen, Expired, Excluded, Delisted }
