using System.Buffers.Binary;
using System.Text;

namespace DnsFp.Tests.Support;

/// <summary>Builds DNS query packets byte by byte (ARSoft's encoder is internal), so tests control every field.</summary>
public static class QueryBuilder
{
    /// <param name="ednsOptions">Raw OPT RDATA (see <see cref="Option"/>); with it, OPT is sent even without <paramref name="ednsPayload"/> (size 1232).</param>
    public static byte[] Build(string name, ushort type, ushort id = 0x1234, bool recursionDesired = true, ushort? ednsPayload = null, byte ednsVersion = 0, ushort qclass = 1, byte[]? ednsOptions = null)
    {
        if (ednsOptions is not null) ednsPayload ??= 1232;
        var m = new List<byte>();
        m.AddRange([(byte)(id >> 8), (byte)id, (byte)(recursionDesired ? 0x01 : 0x00), 0, 0, 1, 0, 0, 0, 0, 0, (byte)(ednsPayload is null ? 0 : 1)]);
        m.AddRange(EncodeName(name));
        m.AddRange([(byte)(type >> 8), (byte)type, (byte)(qclass >> 8), (byte)qclass]);
        if (ednsPayload is ushort size)
        {
            int rdLength = ednsOptions?.Length ?? 0;
            m.AddRange([0, 0, 41, (byte)(size >> 8), (byte)size, 0, ednsVersion, 0, 0, (byte)(rdLength >> 8), (byte)rdLength]);
            m.AddRange(ednsOptions ?? []);
        }
        return [.. m];
    }

    /// <summary>One EDNS option: code, length, data (RFC 6891 6.1.2).</summary>
    public static byte[] Option(ushort code, params byte[] data) => [(byte)(code >> 8), (byte)code, (byte)(data.Length >> 8), (byte)data.Length, .. data];

    public static byte[] EncodeName(string name)
    {
        var bytes = new List<byte>();
        foreach (var label in name.TrimEnd('.').Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            var b = Encoding.ASCII.GetBytes(label);
            bytes.Add((byte)b.Length);
            bytes.AddRange(b);
        }
        bytes.Add(0);
        return [.. bytes];
    }

    /// <summary>"a.b.c.d" → "d.c.b.a"; an IPv6 address → its 32 nibbles, least significant first (RFC 5782 2.4).</summary>
    public static string Reverse(string address)
    {
        var ip = System.Net.IPAddress.Parse(address);
        var bytes = ip.GetAddressBytes();
        if (bytes.Length == 4) return string.Join('.', bytes.Reverse());
        var hex = Convert.ToHexStringLower(bytes);
        return string.Join('.', hex.Reverse());
    }

    /// <summary>The inverse of <see cref="Reverse"/>: "d.c.b.a" or 32 nibbles → the address in its usual text form.</summary>
    public static string AddressOf(string reversed)
    {
        var labels = reversed.Split('.').Reverse().ToArray();
        return labels.Length == 4 ? string.Join('.', labels) : System.Net.IPAddress.Parse(string.Join(':', string.Concat(labels).Chunk(4).Select(c => new string(c)))).ToString();
    }

    public static ushort ReadId(byte[] response) => BinaryPrimitives.ReadUInt16BigEndian(response);
}
