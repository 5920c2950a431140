using System.Buffers.Binary;

namespace DnsFp.Server.Wire;

/// <summary>
/// The question section, RFC 1035 4.1.2, read in place. The name stays in wire form with its case as received
/// (0x20 randomisation), and may not use compression: a query has nothing earlier to point at.
/// </summary>
internal readonly ref struct Question
{
    public const int MaxNameLength = 255;
    public const int MaxLabels = 127;

    /// <summary>The name in wire form including the final zero byte.</summary>
    public readonly ReadOnlySpan<byte> Name;
    public readonly ushort Type;
    public readonly ushort Class;

    /// <summary>Offset just past QCLASS: where the question ends in the message.</summary>
    public readonly int End;

    private Question(ReadOnlySpan<byte> name, ushort type, ushort cls, int end) { Name = name; Type = type; Class = cls; End = end; }

    /// <summary>Reads the first question; false (never an exception) when it is truncated or malformed.</summary>
    public static bool TryRead(ReadOnlySpan<byte> message, out Question question)
    {
        question = default;
        int pos = DnsHeader.Size;
        while (true)
        {
            if (pos >= message.Length) return false;
            int len = message[pos];
            if (len == 0) break;
            if (len > 63) return false;                       // > 63 also catches compression pointers (0xC0)
            pos += 1 + len;
            if (pos - DnsHeader.Size > MaxNameLength) return false;
        }
        int nameEnd = pos + 1;
        if (nameEnd - DnsHeader.Size > MaxNameLength || message.Length - nameEnd < 4) return false;
        question = new Question(
            message[DnsHeader.Size..nameEnd],
            BinaryPrimitives.ReadUInt16BigEndian(message[nameEnd..]),
            BinaryPrimitives.ReadUInt16BigEndian(message[(nameEnd + 2)..]),
            nameEnd + 4);
        return true;
    }
}
