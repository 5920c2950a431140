using System.Text;
using DnsFp.Server.Wire;

namespace DnsFp.Server.Identity;

/// <summary>
/// The NSID bytes and the CHAOS identity answer, built once. <see cref="IsChaosIdentityName"/> matches id.server. and
/// hostname.bind. (any case) in wire form, the names BIND, NSD and Knot answer with the server's identity.
/// </summary>
internal sealed class ServerIdentity(IdentityOptions options)
{
    private static readonly byte[] IdServer = WireName.FromText("id.server"), HostnameBind = WireName.FromText("hostname.bind");

    public byte[] Nsid { get; } = Encoding.ASCII.GetBytes(options.Nsid ?? "");

    /// <summary>TXT RDATA: one character-string with the identity; empty when none is configured.</summary>
    public byte[] IdentityTxt { get; } = options.Identity is { Length: > 0 } id ? [(byte)id.Length, .. Encoding.ASCII.GetBytes(id)] : [];

    public static bool IsChaosIdentityName(ReadOnlySpan<byte> name) => WireName.EqualsIgnoreCase(name, IdServer) || WireName.EqualsIgnoreCase(name, HostnameBind);
}
