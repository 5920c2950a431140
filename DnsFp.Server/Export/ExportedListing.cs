using System.Net;

namespace DnsFp.Server.Export;

/// <summary>One listed address as exports write it: the address, its band and its TXT text, exactly as dnsfp answers them.</summary>
internal sealed record ExportedListing(IPAddress Address, uint Band, string Txt);
