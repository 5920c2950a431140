using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace DnsFp.Agent.Sources.P0f;

/// <summary>
/// A p0f v3 API query, 21 bytes in host byte order (p0f's api.h; sample bytes in reference/p0f/):
/// magic 0x50304601 (4), address type 4 or 6 (1), address (16, IPv4 in the first 4).
/// </summary>
internal static class P0fApiQuery
{
    public const int Size = 21;
    public const uint Magic = 0x50304601;

    public static void Write(IPAddress address, Span<byte> destination)
    {
        destination[..Size].Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(destination, Magic);      // host order: the agent runs beside p0f
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        destination[4] = address.AddressFamily == AddressFamily.InterNetwork ? (byte)4 : (byte)6;
        address.TryWriteBytes(destination[5..], out _);
    }
}
