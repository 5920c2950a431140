using System.Buffers.Binary;
using DnsFp.Server.Engine;

namespace DnsFp.Server.Cookies;

/// <summary>
/// DNS COOKIEs (RFC 7873) with the interoperable server cookie of RFC 9018: version 1, three reserved bytes, a 32-bit
/// timestamp and SipHash-2-4(client cookie | version | reserved | timestamp | client address) under a 16-byte secret.
/// Servers given the same Cookies:Secret accept each other's cookies, so a client may be answered by any of them.
/// A valid cookie proves the client's address is not spoofed: such clients are not rate limited.
/// </summary>
internal sealed class ServerCookies(ReadOnlyMemory<byte> secret, TimeProvider time)
{
    public const int ClientCookieLength = 8, ServerCookieLength = 16, OptionLength = ClientCookieLength + ServerCookieLength;
    private const byte Version = 1;
    private const uint MaxAgeSeconds = 3600, MaxFutureSeconds = 300;     // RFC 9018 4.3

    private readonly ReadOnlyMemory<byte> _secret = secret.Length == 16 ? secret : throw new ArgumentException("a cookie secret is 16 bytes", nameof(secret));

    /// <summary>True when <paramref name="cookie"/> (the option data: client cookie, then server cookie) carries a server cookie this secret made for this client, recently.</summary>
    public bool IsValid(ReadOnlySpan<byte> cookie, in Client client)
    {
        if (cookie.Length != OptionLength || cookie[ClientCookieLength] != Version) return false;
        uint stamp = BinaryPrimitives.ReadUInt32BigEndian(cookie[(ClientCookieLength + 4)..]);
        uint age = Now() - stamp;                                               // serial arithmetic (RFC 1982): wraps in 2106
        if (age > MaxAgeSeconds && unchecked(0u - age) > MaxFutureSeconds) return false;
        ulong expected = Mac(cookie[..ClientCookieLength], stamp, client);
        return BinaryPrimitives.ReadUInt64BigEndian(cookie[(ClientCookieLength + 8)..]) == expected;
    }

    /// <summary>Writes client cookie + a fresh server cookie (24 bytes) for the response's COOKIE option.</summary>
    public void Write(ReadOnlySpan<byte> clientCookie, in Client client, Span<byte> destination)
    {
        uint stamp = Now();
        clientCookie[..ClientCookieLength].CopyTo(destination);
        var server = destination.Slice(ClientCookieLength, ServerCookieLength);
        server[0] = Version; server[1] = server[2] = server[3] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(server[4..], stamp);
        BinaryPrimitives.WriteUInt64BigEndian(server[8..], Mac(clientCookie[..ClientCookieLength], stamp, client));
    }

    private ulong Mac(ReadOnlySpan<byte> clientCookie, uint stamp, in Client client)
    {
        Span<byte> input = stackalloc byte[ClientCookieLength + 8 + 16];
        clientCookie.CopyTo(input);
        input[8] = Version; input[9] = input[10] = input[11] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(input[12..], stamp);
        int length = 16 + client.WriteAddress(input[16..]);
        // RFC 9018 4.4 reads the 64-bit SipHash output as the 8 hash bytes in the order SipHash's reference code emits them (little-endian)
        return BinaryPrimitives.ReverseEndianness(SipHash24.Hash(_secret.Span, input[..length]));
    }

    private uint Now() => (uint)time.GetUtcNow().ToUnixTimeSeconds();
}
