using System.Buffers.Binary;

namespace DnsFp.Server.Wire;

/// <summary>
/// The OPT pseudo-record of RFC 6891 6.1.2 in the additional section: root name, TYPE 41, CLASS = requestor's UDP
/// payload size, TTL = extended RCODE | VERSION | DO flag, then options. Of the options, NSID (RFC 5001) and COOKIE
/// (RFC 7873) are read; the others are skipped, but every option must end inside the RDATA.
/// </summary>
internal readonly struct EdnsOpt
{
    public const int RecordSize = 11;               // root name + type + class + ttl + rdlength, no options
    public const int OptionHeaderSize = 4;           // code + length
    public const ushort NsidCode = 3, CookieCode = 10;
    private const ushort TsigType = 250;

    /// <summary>What we advertise and the most we put in one UDP answer (the DNS flag day 2020 value).</summary>
    public const ushort OurPayloadSize = 1232;

    public bool Present { get; init; }
    public ushort PayloadSize { get; init; }
    public byte Version { get; init; }
    public bool DnssecOk { get; init; }
    public bool NsidRequested { get; init; }

    /// <summary>Where the COOKIE option's data starts in the message (0: none) and its length (8: client cookie only, 16-40: with a server cookie).</summary>
    public int CookieOffset { get; init; }
    public int CookieLength { get; init; }

    public bool HasCookie => CookieOffset > 0;

    /// <summary>The last additional record is a TSIG (RFC 8945): the answer must be signed (Transfer/QuerySigner).</summary>
    public bool HasTsig { get; init; }

    public enum ReadResult
    {
        None,
        Ok,
        /// <summary>The records after the question cannot be read: FORMERR without OPT.</summary>
        Malformed,
        /// <summary>The OPT record was read but its options are broken (one runs past RDATA, a COOKIE of a wrong size): FORMERR with OPT.</summary>
        BadOptions,
    }

    /// <summary>
    /// Skips <paramref name="recordsBefore"/> records (answer and authority, e.g. the SOA of an IXFR query) after
    /// <paramref name="start"/>, then reads the additional section: nothing, exactly one OPT record, or malformed.
    /// </summary>
    public static ReadResult TryRead(ReadOnlySpan<byte> message, int start, int recordsBefore, int additionalCount, out EdnsOpt opt)
    {
        opt = default;
        int pos = start;
        for (int i = 0; i < recordsBefore; i++)
            if (!MessageSkipper.SkipRecord(message, ref pos, out _, out _, out _, out _, out _)) return ReadResult.Malformed;
        bool found = false;
        var result = ReadResult.None;
        for (int i = 0; i < additionalCount; i++)
        {
            if (!MessageSkipper.SkipRecord(message, ref pos, out bool isRoot, out ushort type, out ushort cls, out uint ttl, out int rdStart)) return ReadResult.Malformed;
            if (type == TsigType && i == additionalCount - 1) { opt = opt with { HasTsig = true }; continue; }
            if (type != (ushort)RecordType.OPT) continue;
            if (found || !isRoot) return ReadResult.Malformed; // RFC 6891 6.1.1: one OPT, owned by the root
            found = true;
            var read = new EdnsOpt { Present = true, PayloadSize = cls, Version = (byte)(ttl >> 16), DnssecOk = (ttl & 0x8000) != 0 };
            result = ReadOptions(message[rdStart..pos], rdStart, ref read) ? ReadResult.Ok : ReadResult.BadOptions;
            opt = read with { HasTsig = opt.HasTsig };
        }
        return result;
    }

    private static bool ReadOptions(ReadOnlySpan<byte> rdata, int rdStart, ref EdnsOpt opt)
    {
        bool nsid = false;
        int cookieOffset = 0, cookieLength = 0, pos = 0;
        while (pos < rdata.Length)
        {
            if (rdata.Length - pos < OptionHeaderSize) return false;
            ushort code = BinaryPrimitives.ReadUInt16BigEndian(rdata[pos..]);
            int length = BinaryPrimitives.ReadUInt16BigEndian(rdata[(pos + 2)..]);
            pos += OptionHeaderSize;
            if (rdata.Length - pos < length) return false;  // runs past RDATA: FORMERR (as NSD and Knot)
            if (code == NsidCode) nsid = true;
            else if (code == CookieCode)
            {
                // RFC 7873 5.2.2: 8 bytes (client cookie) or 16 to 40 (with a server cookie 8 to 32); else FORMERR
                if (cookieOffset != 0 || length is not (8 or (>= 16 and <= 40))) return false;
                cookieOffset = rdStart + pos; cookieLength = length;
            }
            pos += length;
        }
        opt = opt with { NsidRequested = nsid, CookieOffset = cookieOffset, CookieLength = cookieLength };
        return true;
    }

    /// <summary>Writes our OPT record header: payload size, extended rcode upper bits, version 0, DO echoed; <paramref name="optionsLength"/> bytes of options follow.</summary>
    public static void Write(Span<byte> destination, byte extendedRcodeHigh, bool dnssecOk, int optionsLength)
    {
        destination[0] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(destination[1..], (ushort)RecordType.OPT);
        BinaryPrimitives.WriteUInt16BigEndian(destination[3..], OurPayloadSize);
        BinaryPrimitives.WriteUInt32BigEndian(destination[5..], (uint)extendedRcodeHigh << 24 | (dnssecOk ? 0x8000u : 0u));
        BinaryPrimitives.WriteUInt16BigEndian(destination[9..], (ushort)optionsLength);
    }

    /// <summary>Writes one option (code, length, data) and returns its size.</summary>
    public static int WriteOption(Span<byte> destination, ushort code, scoped ReadOnlySpan<byte> data)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, code);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)data.Length);
        data.CopyTo(destination[OptionHeaderSize..]);
        return OptionHeaderSize + data.Length;
    }
}
