using System.Buffers.Binary;
using System.Text;

namespace DnsFp.Agent.Firewall;

/// <summary>
/// Reads the records of one transfer message (RFC 1035 4.1): the header, the question skipped, then each answer
/// record's owner (compression pointers followed backwards only, at most 128 hops), type and RDATA. Every read is
/// bounds-checked; a short or looping message is a <see cref="InvalidDataException"/> naming the place.
/// </summary>
internal ref struct TransferReader
{
    public const ushort TypeA = 1, TypeSoa = 6;

    private readonly ReadOnlySpan<byte> _message;
    private int _offset;
    private int _answersLeft;

    public TransferReader(ReadOnlySpan<byte> message)
    {
        _message = message;
        if (message.Length < 12) throw new InvalidDataException($"a transfer message of {message.Length} bytes is shorter than a DNS header");
        Id = BinaryPrimitives.ReadUInt16BigEndian(message);
        Flags = BinaryPrimitives.ReadUInt16BigEndian(message[2..]);
        int questions = BinaryPrimitives.ReadUInt16BigEndian(message[4..]);
        _answersLeft = BinaryPrimitives.ReadUInt16BigEndian(message[6..]);
        _offset = 12;
        for (int i = 0; i < questions; i++) { SkipName(); Need(4); _offset += 4; }
    }

    public ushort Id { get; }
    public ushort Flags { get; }
    public readonly int Rcode => Flags & 0xF;
    public readonly bool IsResponse => (Flags & 0x8000) != 0;

    /// <summary>The next answer record: its owner in lower case without the final dot, its type and its RDATA's place.</summary>
    public bool TryReadRecord(out string owner, out ushort type, out int rdataOffset, out int rdataLength)
    {
        owner = ""; type = 0; rdataOffset = rdataLength = 0;
        if (_answersLeft == 0) return false;
        _answersLeft--;
        owner = ReadName(ref _offset);
        Need(10);
        type = BinaryPrimitives.ReadUInt16BigEndian(_message[_offset..]);
        rdataLength = BinaryPrimitives.ReadUInt16BigEndian(_message[(_offset + 8)..]);
        _offset += 10;
        Need(rdataLength);
        rdataOffset = _offset;
        _offset += rdataLength;
        return true;
    }

    /// <summary>The serial of an SOA's RDATA (after MNAME and RNAME).</summary>
    public readonly uint SoaSerial(int rdataOffset)
    {
        int at = rdataOffset;
        ReadName(ref at);
        ReadName(ref at);
        if (at + 4 > _message.Length) throw new InvalidDataException($"SOA record cut short at byte {at}");
        return BinaryPrimitives.ReadUInt32BigEndian(_message[at..]);
    }

    /// <summary>An A record's address as a 32-bit number (127.0.0.19 = 0x7F000013).</summary>
    public readonly uint ARecord(int rdataOffset, int rdataLength) =>
        rdataLength == 4 ? BinaryPrimitives.ReadUInt32BigEndian(_message[rdataOffset..]) : throw new InvalidDataException($"an A record of {rdataLength} bytes at byte {rdataOffset}");

    private readonly void Need(int bytes)
    {
        if (_offset + bytes > _message.Length) throw new InvalidDataException($"transfer message cut short at byte {_offset} of {_message.Length}");
    }

    private void SkipName()
    {
        int at = _offset;
        ReadName(ref at);
        _offset = at;
    }

    private readonly string ReadName(ref int offset)
    {
        var name = new StringBuilder(64);
        int at = offset, hops = 0;
        bool jumped = false;
        while (true)
        {
            if (at >= _message.Length) throw new InvalidDataException($"a name runs past the end of the message at byte {at}");
            int length = _message[at];
            if ((length & 0xC0) == 0xC0)
            {
                if (at + 1 >= _message.Length) throw new InvalidDataException($"a compression pointer cut short at byte {at}");
                int target = (length & 0x3F) << 8 | _message[at + 1];
                if (target >= at || ++hops > 128) throw new InvalidDataException($"a compression pointer at byte {at} does not point backwards");
                if (!jumped) offset = at + 2;
                jumped = true;
                at = target;
                continue;
            }
            if (length > 63) throw new InvalidDataException($"a label of length {length} at byte {at}");
            if (length == 0)
            {
                if (!jumped) offset = at + 1;
                return name.ToString();
            }
            if (at + 1 + length > _message.Length) throw new InvalidDataException($"a label runs past the end of the message at byte {at}");
            if (name.Length > 0) name.Append('.');
            foreach (byte b in _message.Slice(at + 1, length)) name.Append((char)(b is >= (byte)'A' and <= (byte)'Z' ? b + 32 : b));
            if (name.Length > 255) throw new InvalidDataException($"a name longer than 255 characters at byte {offset}");
            at += 1 + length;
        }
    }
}
