using System.Buffers.Binary;

namespace DnsFp.Server.Wire;

/// <summary>
/// Walks the sections of a message without reading them: past questions, records and names, in place, with bounds
/// checks and a limit on labels, so the OPT reader, the TSIG check and the IXFR query's SOA share one walker.
/// Compression pointers (two bytes) are allowed in names but not followed.
/// </summary>
internal static class MessageSkipper
{
    /// <summary>Skips <paramref name="count"/> questions (name, type, class) from <paramref name="pos"/>; false when one does not end inside the message.</summary>
    public static bool SkipQuestions(ReadOnlySpan<byte> message, ref int pos, int count)
    {
        for (int i = 0; i < count; i++)
        {
            if (!SkipName(message, ref pos, out _) || message.Length - pos < 4) return false;
            pos += 4;
        }
        return true;
    }

    /// <summary>Skips one resource record, returning its fixed fields and where its RDATA starts (it ends at <paramref name="pos"/>).</summary>
    public static bool SkipRecord(ReadOnlySpan<byte> message, ref int pos, out bool isRoot, out ushort type, out ushort cls, out uint ttl, out int rdStart)
    {
        type = cls = 0; ttl = 0; rdStart = 0;
        if (!SkipName(message, ref pos, out isRoot) || message.Length - pos < 10) return false;
        type = BinaryPrimitives.ReadUInt16BigEndian(message[pos..]);
        cls = BinaryPrimitives.ReadUInt16BigEndian(message[(pos + 2)..]);
        ttl = BinaryPrimitives.ReadUInt32BigEndian(message[(pos + 4)..]);
        int rdLength = BinaryPrimitives.ReadUInt16BigEndian(message[(pos + 8)..]);
        pos += 10;
        if (message.Length - pos < rdLength) return false;
        rdStart = pos;
        pos += rdLength;
        return true;
    }

    /// <summary>Skips a name; <paramref name="isRoot"/> says whether it was the root (a lone zero byte).</summary>
    public static bool SkipName(ReadOnlySpan<byte> message, ref int pos, out bool isRoot)
    {
        isRoot = pos < message.Length && message[pos] == 0;
        for (int labels = 0; labels <= Question.MaxLabels; labels++)
        {
            if (pos >= message.Length) return false;
            int len = message[pos];
            if (len == 0) { pos++; return true; }
            if ((len & 0xC0) == 0xC0) { pos += 2; return pos <= message.Length; }
            if (len > 63) return false;
            pos += 1 + len;
        }
        return false;
    }
}
