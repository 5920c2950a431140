using System.Buffers.Binary;

namespace DnsFp.Server.Wire;

/// <summary>
/// Appends resource records (RFC 1035 4.1.3) to a response in the caller's buffer, with BinaryPrimitives (no
/// allocation). Every owner name is a compression pointer into the echoed question. A write that does not fit
/// returns false and leaves the buffer as it was, so the caller can set TC.
/// </summary>
internal ref struct ResponseWriter
{
    public enum Section { Answer, Authority, Additional }

    private readonly Span<byte> _buf;
    private readonly int _limit;
    private int _pos;
    private ushort _answers, _authority, _additional;

    public ResponseWriter(Span<byte> buffer, int start, int limit)
    {
        _buf = buffer; _pos = start; _limit = Math.Min(limit, buffer.Length);
    }

    public readonly int Length => _pos;

    public readonly int AnswerCount => _answers;

    public Section CurrentSection { get; set; }

    /// <summary>Pointer to a name at <paramref name="offset"/> in this message (RFC 1035 4.1.4).</summary>
    public static ushort PointerTo(int offset) => (ushort)(0xC000 | offset);

    public bool TryWriteRecord(ushort ownerPointer, ushort type, uint ttl, scoped ReadOnlySpan<byte> rdata, ushort recordClass = RecordClass.IN)
    {
        int size = 2 + 10 + rdata.Length;
        if (_pos + size > _limit) return false;
        var s = _buf.Slice(_pos, size);
        BinaryPrimitives.WriteUInt16BigEndian(s, ownerPointer);
        BinaryPrimitives.WriteUInt16BigEndian(s[2..], type);
        BinaryPrimitives.WriteUInt16BigEndian(s[4..], recordClass);
        BinaryPrimitives.WriteUInt32BigEndian(s[6..], ttl);
        BinaryPrimitives.WriteUInt16BigEndian(s[10..], (ushort)rdata.Length);
        rdata.CopyTo(s[12..]);
        _pos += size;
        Count();
        return true;
    }

    public bool TryWriteA(ushort ownerPointer, uint ttl, uint address)
    {
        Span<byte> rdata = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(rdata, address);
        return TryWriteRecord(ownerPointer, (ushort)RecordType.A, ttl, rdata);
    }

    /// <summary>
    /// Writes the OPT record with an NSID option when <paramref name="nsid"/> is not empty and a COOKIE option when
    /// <paramref name="cookie"/> is not empty; the caller reserved room for it (<see cref="OptSize"/>), so this cannot fail.
    /// </summary>
    public void WriteOpt(byte extendedRcodeHigh, bool dnssecOk, scoped ReadOnlySpan<byte> nsid = default, scoped ReadOnlySpan<byte> cookie = default)
    {
        int options = OptionsSize(nsid.Length, cookie.Length);
        EdnsOpt.Write(_buf[_pos..], extendedRcodeHigh, dnssecOk, options);
        int pos = _pos + EdnsOpt.RecordSize;
        if (!nsid.IsEmpty) pos += EdnsOpt.WriteOption(_buf[pos..], EdnsOpt.NsidCode, nsid);
        if (!cookie.IsEmpty) pos += EdnsOpt.WriteOption(_buf[pos..], EdnsOpt.CookieCode, cookie);
        _pos = pos;
        _additional++;
    }

    /// <summary>Bytes an OPT record with these options takes.</summary>
    public static int OptSize(int nsidLength, int cookieLength) => EdnsOpt.RecordSize + OptionsSize(nsidLength, cookieLength);

    private static int OptionsSize(int nsidLength, int cookieLength) =>
        (nsidLength > 0 ? EdnsOpt.OptionHeaderSize + nsidLength : 0) + (cookieLength > 0 ? EdnsOpt.OptionHeaderSize + cookieLength : 0);

    /// <summary>Drops every record written after <paramref name="start"/> (used when the answer does not fit).</summary>
    public void Reset(int start)
    {
        _pos = start; _answers = _authority = _additional = 0;
    }

    /// <summary>Writes the section counts into the header.</summary>
    public readonly void FinishCounts()
    {
        BinaryPrimitives.WriteUInt16BigEndian(_buf[6..], _answers);
        BinaryPrimitives.WriteUInt16BigEndian(_buf[8..], _authority);
        BinaryPrimitives.WriteUInt16BigEndian(_buf[10..], _additional);
    }

    private void Count()
    {
        switch (CurrentSection)
        {
            case Section.Answer: _answers++; break;
            case Section.Authority: _authority++; break;
            default: _additional++; break;
        }
    }
}
