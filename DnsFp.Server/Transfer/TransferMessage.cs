using System.Buffers.Binary;
using DnsFp.Server.Wire;

namespace DnsFp.Server.Transfer;

/// <summary>
/// One message of a zone transfer being filled: header, the question (every message repeats it, which RFC 5936 2.2.1
/// allows, so every owner name can point at the zone's apex in it), then as many records as fit in
/// <see cref="Limit"/> bytes. Owners are written as their labels below the apex and a pointer to the apex.
/// </summary>
internal sealed class TransferMessage(int size)
{
    private const ushort ApexPointer = 0xC000 | DnsHeader.Size;

    // two bytes in front for the TCP length, so a message goes out as one send from the one buffer a transfer reuses
    private readonly byte[] _frame = new byte[2 + size];

    /// <summary>The message (without the TCP length prefix).</summary>
    public Span<byte> Buffer => _frame.AsSpan(2);

    public int Length { get; private set; }
    public int Limit { get; set; } = size;

    /// <summary>The first <paramref name="length"/> bytes of the message with the TCP length before them (RFC 1035 4.2.2).</summary>
    public ReadOnlyMemory<byte> Framed(int length)
    {
        BinaryPrimitives.WriteUInt16BigEndian(_frame, (ushort)length);
        return _frame.AsMemory(0, 2 + length);
    }
    public int Records { get; private set; }

    /// <summary>Starts a message: id, flags, and the question as asked (name, type, class).</summary>
    public void Start(ushort id, ushort flags, ReadOnlySpan<byte> question)
    {
        Buffer[..DnsHeader.Size].Clear();
        BinaryPrimitives.WriteUInt16BigEndian(Buffer, id);
        BinaryPrimitives.WriteUInt16BigEndian(Buffer[2..], flags);
        BinaryPrimitives.WriteUInt16BigEndian(Buffer[4..], 1);
        question.CopyTo(Buffer[DnsHeader.Size..]);
        Length = DnsHeader.Size + question.Length;
        Records = 0;
    }

    public bool IsEmpty => Records == 0;

    /// <summary>A record owned by <paramref name="relativeOwner"/> (labels below the apex, no final zero); false when it does not fit.</summary>
    public bool TryAdd(ReadOnlySpan<byte> relativeOwner, ushort type, uint ttl, ReadOnlySpan<byte> rdata)
    {
        if (Length + relativeOwner.Length + 12 + rdata.Length > Limit) return false;
        WriteOwner(relativeOwner);
        WriteRecord(type, ttl, rdata);
        return true;
    }

    /// <summary>A listing: its A and TXT records, both or neither; the TXT's owner points at the A's.</summary>
    public bool TryAddListing(ReadOnlySpan<byte> relativeOwner, uint ttl, uint band, ReadOnlySpan<byte> txtRdata)
    {
        if (Length + relativeOwner.Length + 2 + 10 + 4 + 2 + 10 + txtRdata.Length > Limit) return false;
        int owner = Length;
        WriteOwner(relativeOwner);
        Span<byte> a = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(a, band);
        WriteRecord((ushort)RecordType.A, ttl, a);
        if (owner < 0x3FFF) { BinaryPrimitives.WriteUInt16BigEndian(Buffer[Length..], (ushort)(0xC000 | owner)); Length += 2; }
        else WriteOwner(relativeOwner);
        WriteRecord((ushort)RecordType.TXT, ttl, txtRdata);
        return true;
    }

    /// <summary>Writes the answer count; the message is Buffer[..Length].</summary>
    public void Finish() => BinaryPrimitives.WriteUInt16BigEndian(Buffer[6..], (ushort)Records);

    private void WriteOwner(ReadOnlySpan<byte> relativeOwner)
    {
        relativeOwner.CopyTo(Buffer[Length..]);
        Length += relativeOwner.Length;
        BinaryPrimitives.WriteUInt16BigEndian(Buffer[Length..], ApexPointer);
        Length += 2;
    }

    private void WriteRecord(ushort type, uint ttl, ReadOnlySpan<byte> rdata)
    {
        var s = Buffer[Length..];
        BinaryPrimitives.WriteUInt16BigEndian(s, type);
        BinaryPrimitives.WriteUInt16BigEndian(s[2..], RecordClass.IN);
        BinaryPrimitives.WriteUInt32BigEndian(s[4..], ttl);
        BinaryPrimitives.WriteUInt16BigEndian(s[8..], (ushort)rdata.Length);
        rdata.CopyTo(s[10..]);
        Length += 10 + rdata.Length;
        Records++;
    }
}
