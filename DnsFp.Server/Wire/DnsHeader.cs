using System.Buffers.Binary;

namespace DnsFp.Server.Wire;

/// <summary>
/// The 12-byte message header, RFC 1035 4.1.1, read in place.
/// <code>
///  0  1  2  3  4  5  6  7  8  9 10 11 12 13 14 15
/// |                      ID                       |
/// |QR|   Opcode  |AA|TC|RD|RA| Z|AD|CD|   RCODE   |
/// |QDCOUNT|ANCOUNT|NSCOUNT|ARCOUNT (16 bits each) |
/// </code>
/// </summary>
internal readonly ref struct DnsHeader(ReadOnlySpan<byte> message)
{
    public const int Size = 12;

    public const ushort QrBit = 0x8000, AaBit = 0x0400, TcBit = 0x0200, RdBit = 0x0100, CdBit = 0x0010;

    private readonly ReadOnlySpan<byte> _m = message;

    public ushort Flags => BinaryPrimitives.ReadUInt16BigEndian(_m[2..]);
    public bool IsResponse => (Flags & QrBit) != 0;
    public int Opcode => (Flags >> 11) & 0xF;
    public ushort QuestionCount => BinaryPrimitives.ReadUInt16BigEndian(_m[4..]);
    public ushort AnswerCount => BinaryPrimitives.ReadUInt16BigEndian(_m[6..]);
    public ushort AuthorityCount => BinaryPrimitives.ReadUInt16BigEndian(_m[8..]);
    public ushort AdditionalCount => BinaryPrimitives.ReadUInt16BigEndian(_m[10..]);
}
