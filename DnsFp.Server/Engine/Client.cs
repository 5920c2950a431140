using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace DnsFp.Server.Engine;

/// <summary>
/// Who sent a query, as the policies on the answer path need it (ACL, rate limiting, cookies): the transport and the
/// source address as a number, read straight from the kernel's sockaddr without allocating. IPv4 (also IPv4-mapped
/// IPv6) is the 32-bit address in <see cref="Address"/>.
/// </summary>
internal readonly struct Client(AnswerEngine.Transport transport, bool isV4, UInt128 address)
{
    private const ushort AfInet = 2, AfInet6 = 10;       // Linux values, as in sockaddr_in / sockaddr_in6

    public AnswerEngine.Transport Transport { get; } = transport;
    public bool IsV4 { get; } = isV4;
    public UInt128 Address { get; } = address;
    public uint V4 => (uint)Address;

    /// <summary>What tests and benchmarks that have no socket ask as: UDP from 127.0.0.1.</summary>
    public static Client Loopback(AnswerEngine.Transport transport) => new(transport, true, 0x7F000001);

    /// <summary>From a Linux sockaddr_in or sockaddr_in6 as recvmmsg fills it; unknown families read as 0.0.0.0.</summary>
    public static Client FromSockaddr(ReadOnlySpan<byte> sockaddr, AnswerEngine.Transport transport)
    {
        ushort family = sockaddr.Length >= 2 ? BinaryPrimitives.ReadUInt16LittleEndian(sockaddr) : (ushort)0;
        if (family == AfInet && sockaddr.Length >= 8) return new(transport, true, BinaryPrimitives.ReadUInt32BigEndian(sockaddr[4..]));
        if (family == AfInet6 && sockaddr.Length >= 24) return FromV6(BinaryPrimitives.ReadUInt128BigEndian(sockaddr[8..]), transport);
        return new(transport, true, 0);
    }

    public static Client From(IPAddress address, AnswerEngine.Transport transport)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out int written);
        return address.AddressFamily == AddressFamily.InterNetwork && written == 4
            ? new(transport, true, BinaryPrimitives.ReadUInt32BigEndian(bytes))
            : FromV6(BinaryPrimitives.ReadUInt128BigEndian(bytes), transport);
    }

    private static Client FromV6(UInt128 address, AnswerEngine.Transport transport) =>
        address >> 32 == 0xFFFF ? new(transport, true, (uint)address) : new(transport, false, address);

    /// <summary>The address in network byte order (4 or 16 bytes) into <paramref name="destination"/>; returns the length.</summary>
    public int WriteAddress(Span<byte> destination)
    {
        if (IsV4) { BinaryPrimitives.WriteUInt32BigEndian(destination, V4); return 4; }
        BinaryPrimitives.WriteUInt128BigEndian(destination, Address);
        return 16;
    }

    public override string ToString()
    {
        Span<byte> bytes = stackalloc byte[16];
        return new IPAddress(bytes[..WriteAddress(bytes)]).ToString();
    }
}
