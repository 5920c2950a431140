namespace DnsFp.Server.Index;

/// <summary>What a listed address answers, pre-encoded once per label so the query path only copies bytes.</summary>
internal sealed record ListingAnswer(uint Band, byte[] TxtRdata);
