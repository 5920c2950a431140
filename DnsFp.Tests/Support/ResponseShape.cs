using System.Buffers.Binary;

namespace DnsFp.Tests.Support;

/// <summary>
/// A strict, independent check that a response is a well-formed DNS message: header, the counted question and
/// records all present, every name ending inside the packet, compression pointers only backwards, no trailing bytes.
/// </summary>
public static class ResponseShape
{
    public static string? Problem(ReadOnlySpan<byte> m)
    {
        if (m.Length < 12) return "shorter than a header";
        if ((m[2] & 0x80) == 0) return "QR not set";
        int pos = 12;
        int qd = BinaryPrimitives.ReadUInt16BigEndian(m[4..]);
        int rr = BinaryPrimitives.ReadUInt16BigEndian(m[6..]) + BinaryPrimitives.ReadUInt16BigEndian(m[8..]) + BinaryPrimitives.ReadUInt16BigEndian(m[10..]);
        for (int i = 0; i < qd; i++)
        {
            if (!SkipName(m, ref pos)) return $"question {i} name malformed";
            pos += 4;
            if (pos > m.Length) return $"question {i} truncated";
        }
        for (int i = 0; i < rr; i++)
        {
            if (!SkipName(m, ref pos)) return $"record {i} name malformed";
            if (pos + 10 > m.Length) return $"record {i} header truncated";
            int rdlen = BinaryPrimitives.ReadUInt16BigEndian(m[(pos + 8)..]);
            pos += 10 + rdlen;
            if (pos > m.Length) return $"record {i} data truncated";
        }
        return pos == m.Length ? null : $"{m.Length - pos} bytes after the last record";
    }

    private static bool SkipName(ReadOnlySpan<byte> m, ref int pos)
    {
        int start = pos;
        for (int labels = 0; labels < 128; labels++)
        {
            if (pos >= m.Length) return false;
            int len = m[pos];
            if (len == 0) { pos++; return true; }
            if ((len & 0xC0) == 0xC0)
            {
                if (pos + 1 >= m.Length) return false;
                int target = ((len & 0x3F) << 8) | m[pos + 1];
                if (target >= start) return false;                   // only backwards
                pos += 2;
                return true;
            }
            if (len > 63) return false;
            pos += 1 + len;
        }
        return false;
    }
}
