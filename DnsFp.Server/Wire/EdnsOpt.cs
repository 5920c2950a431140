using System.Buffers.Binary;

namespace DnsFp.Server.Wire;

/// <summary>
/// The OPT pseudo-record of RFC 6891 6.1.2 in the additional section: root name, TYPE 41, CLASS = requestor's UDP
/// payload size, TTL = extended RCODE | VERSION | DO flag, then options (ignored here).
/// </summary>
internal readonly struct EdnsOpt
{
    public const int RecordSize = 11;               // root name + type + class + ttl + rdlength, no options

    /// <summary>What we advertise and the most we put in one UDP answer (the DNS flag day 2020 value).</summary>
    public const ushort OurPayloadSize = 1232;

    public bool Present { get; init; }
    public ushort PayloadSize { get; init; }
    public byte Version { get; init; }
    public bool DnssecOk { get; init; }

    public enum ReadResult { None, Ok, Malformed }

    /// <summary>Reads the additional section after the question: either nothing, exactly one OPT record, or malformed.</summary>
    public static ReadResult TryRead(ReadOnlySpan<byte> message, int questionEnd, int additionalCount, out EdnsOpt opt)
    {
        opt = default;
        if (additionalCount == 0) return ReadResult.None;
        int pos = questionEnd;
        bool found = false;
        for (int i = 0; i < additionalCount; i++)
        {
            if (!SkipName(message, ref pos, out bool isRoot) || message.Length - pos < 10) return ReadResult.Malformed;
            ushort type = BinaryPrimitives.ReadUInt16BigEndian(message[pos..]);
            ushort cls = BinaryPrimitives.ReadUInt16BigEndian(message[(pos + 2)..]);
            uint ttl = BinaryPrimitives.ReadUInt32BigEndian(message[(pos + 4)..]);
            int rdLength = BinaryPrimitives.ReadUInt16BigEndian(message[(pos + 8)..]);
            pos += 10;
            if (message.Length - pos < rdLength) return ReadResult.Malformed;
            pos += rdLength;
            if (type != (ushort)RecordType.OPT) continue;   // e.g. TSIG: not supported, ignored
            if (found || !isRoot) return ReadResult.Malformed; // RFC 6891 6.1.1: one OPT, owned by the root
            found = true;
            opt = new EdnsOpt { Present = true, PayloadSize = cls, Version = (byte)(ttl >> 16), DnssecOk = (ttl & 0x8000) != 0 };
        }
        return found ? ReadResult.Ok : ReadResult.None;
    }

    /// <summary>Skips an owner name; compression pointers (two bytes) are allowed here but not followed.</summary>
    private static bool SkipName(ReadOnlySpan<byte> message, ref int pos, out bool isRoot)
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

    /// <summary>Writes our OPT record: payload size, extended rcode upper bits, version 0, DO echoed.</summary>
    public static void Write(Span<byte> destination, byte extendedRcodeHigh, bool dnssecOk)
    {
        destination[0] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(destination[1..], (ushort)RecordType.OPT);
        BinaryPrimitives.WriteUInt16BigEndian(destination[3..], OurPayloadSize);
        BinaryPrimitives.WriteUInt32BigEndian(destination[5..], (uint)extendedRcodeHigh << 24 | (dnssecOk ? 0x8000u : 0u));
        BinaryPrimitives.WriteUInt16BigEndian(destination[9..], 0);
    }
}
