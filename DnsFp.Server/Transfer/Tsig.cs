using System.Buffers.Binary;
using System.Security.Cryptography;
using DnsFp.Server.Wire;

namespace DnsFp.Server.Transfer;

/// <summary>
/// TSIG (RFC 8945): finding and verifying the signature of a request, and signing the messages of a response —
/// the first with the request's MAC and all TSIG variables, each later one with the MAC before it and the timers only
/// (RFC 8945 5.3.1), so a secondary checks every message of a multi-message zone transfer.
/// </summary>
internal static class Tsig
{
    public const ushort Type = 250;
    public const ushort Fudge = 300;
    public const ushort BadSig = 16, BadKey = 17, BadTime = 18;

    public enum Outcome { Unsigned, Valid, Malformed, UnknownKey, BadSignature, BadTime }

    /// <summary>What a request's TSIG says: the outcome, and (unless malformed) the key name, its MAC and time for the answer.</summary>
    public readonly record struct Check(Outcome Outcome, TsigKey? Key, string KeyName, byte[] RequestMac, ulong TimeSigned, ushort OriginalId, byte[] KeyNameWire, byte[] AlgorithmWire);

    /// <summary>Finds the TSIG record (the last additional record) of <paramref name="message"/> and verifies it.</summary>
    public static Check Verify(ReadOnlySpan<byte> message, IReadOnlyDictionary<string, TsigKey> keys, DateTimeOffset now)
    {
        var none = new Check(Outcome.Unsigned, null, "", [], 0, 0, [], []);
        if (message.Length < 12) return none with { Outcome = Outcome.Malformed };
        int qd = BinaryPrimitives.ReadUInt16BigEndian(message[4..]), an = BinaryPrimitives.ReadUInt16BigEndian(message[6..]);
        int ns = BinaryPrimitives.ReadUInt16BigEndian(message[8..]), ar = BinaryPrimitives.ReadUInt16BigEndian(message[10..]);
        if (ar == 0) return none;
        int pos = 12;
        if (!MessageSkipper.SkipQuestions(message, ref pos, qd)) return none with { Outcome = Outcome.Malformed };
        for (int i = 0; i < an + ns + ar - 1; i++)
            if (!MessageSkipper.SkipRecord(message, ref pos, out _, out _, out _, out _, out _)) return none with { Outcome = Outcome.Malformed };
        int tsigStart = pos;
        var ownerWire = new List<byte>();
        if (!ReadName(message, ref pos, ownerWire) || pos + 10 > message.Length) return none with { Outcome = Outcome.Malformed };
        if (BinaryPrimitives.ReadUInt16BigEndian(message[pos..]) != Type) return none;          // the last record is not a TSIG
        int rdLength = BinaryPrimitives.ReadUInt16BigEndian(message[(pos + 8)..]);
        int rd = pos + 10;
        if (rd + rdLength > message.Length) return none with { Outcome = Outcome.Malformed };
        var rdata = message.Slice(rd, rdLength);
        int p = 0;
        var algorithmWire = new List<byte>();
        if (!ReadName(rdata, ref p, algorithmWire) || p + 10 > rdata.Length) return none with { Outcome = Outcome.Malformed };
        ulong timeSigned = (ulong)BinaryPrimitives.ReadUInt16BigEndian(rdata[p..]) << 32 | BinaryPrimitives.ReadUInt32BigEndian(rdata[(p + 2)..]);
        ushort fudge = BinaryPrimitives.ReadUInt16BigEndian(rdata[(p + 6)..]);
        int macSize = BinaryPrimitives.ReadUInt16BigEndian(rdata[(p + 8)..]);
        p += 10;
        if (p + macSize + 6 > rdata.Length) return none with { Outcome = Outcome.Malformed };
        var mac = rdata.Slice(p, macSize).ToArray();
        p += macSize;
        ushort originalId = BinaryPrimitives.ReadUInt16BigEndian(rdata[p..]);
        ushort error = BinaryPrimitives.ReadUInt16BigEndian(rdata[(p + 2)..]);
        int otherLength = BinaryPrimitives.ReadUInt16BigEndian(rdata[(p + 4)..]);
        if (p + 6 + otherLength > rdata.Length) return none with { Outcome = Outcome.Malformed };
        var other = rdata.Slice(p + 6, otherLength);

        string keyName = WireName.ToText([.. ownerWire]).ToLowerInvariant();
        var check = new Check(Outcome.Valid, null, keyName, mac, timeSigned, originalId, [.. ownerWire], [.. algorithmWire]);
        if (!keys.TryGetValue(keyName, out var key) || !key.AlgorithmWire.AsSpan().SequenceEqual(algorithmWire.ToArray()))
            return check with { Outcome = Outcome.UnknownKey };
        check = check with { Key = key };
        if (macSize != key.MacSize) return check with { Outcome = Outcome.BadSignature, RequestMac = [] };

        using var hmac = key.NewHmac();
        // the request as it was before signing: its original id, one additional record fewer
        Span<byte> head = stackalloc byte[12];
        message[..12].CopyTo(head);
        BinaryPrimitives.WriteUInt16BigEndian(head, originalId);
        BinaryPrimitives.WriteUInt16BigEndian(head[10..], (ushort)(ar - 1));
        hmac.AppendData(head);
        hmac.AppendData(message[12..tsigStart]);
        AppendVariables(hmac, key, timeSigned, fudge, error, other);
        Span<byte> expected = stackalloc byte[key.MacSize];
        hmac.GetHashAndReset(expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, mac)) return check with { Outcome = Outcome.BadSignature, RequestMac = [] };
        long nowSeconds = now.ToUnixTimeSeconds();
        if (Math.Abs(nowSeconds - (long)timeSigned) > fudge) return check with { Outcome = Outcome.BadTime };
        return check;
    }

    /// <summary>
    /// Signs the messages of one response in turn. The first carries the request's MAC in its digest; each later one the
    /// MAC of the message before it, and only the timers (RFC 8945 5.3.1).
    /// </summary>
    public sealed class Signer(TsigKey key, byte[] requestMac, ushort originalId)
    {
        private byte[] _prior = requestMac;
        private bool _first = true;

        /// <summary>Room a TSIG record of this key takes at the end of a message.</summary>
        public int Size => key.NameWire.Length + 10 + key.AlgorithmWire.Length + 16 + key.MacSize + 6;

        /// <summary>Appends the TSIG record to the <paramref name="length"/> bytes of <paramref name="message"/>; returns the new length.</summary>
        public int Sign(Span<byte> message, int length, DateTimeOffset now, ushort error = 0, ReadOnlySpan<byte> other = default)
        {
            ulong time = (ulong)now.ToUnixTimeSeconds();
            using var hmac = key.NewHmac();
            if (_prior.Length > 0)
            {
                Span<byte> size = stackalloc byte[2];
                BinaryPrimitives.WriteUInt16BigEndian(size, (ushort)_prior.Length);
                hmac.AppendData(size);
                hmac.AppendData(_prior);
            }
            hmac.AppendData(message[..length]);
            if (_first) AppendVariables(hmac, key, time, Fudge, error, other);
            else AppendTimers(hmac, time, Fudge);
            var mac = hmac.GetHashAndReset();
            _prior = mac;
            _first = false;
            return Append(message, length, key.NameWire, key.AlgorithmWire, time, mac, originalId, error, other);
        }
    }

    /// <summary>The TSIG error an answer names for a request that did not verify (RFC 8945 5.2).</summary>
    public static ushort ErrorOf(Outcome outcome) => outcome switch
    {
        Outcome.UnknownKey => BadKey,
        Outcome.BadSignature => BadSig,
        Outcome.BadTime => BadTime,
        _ => 0,
    };

    /// <summary>An unsigned TSIG record saying why a request was not accepted (BADKEY, BADSIG: RFC 8945 5.3.2).</summary>
    public static int AppendError(Span<byte> message, int length, in Check check, ushort error) =>
        Append(message, length, check.KeyNameWire, check.AlgorithmWire, check.TimeSigned, [], check.OriginalId, error, default);

    public static int ErrorSize(in Check check) => check.KeyNameWire.Length + 10 + check.AlgorithmWire.Length + 16 + 6;

    private static int Append(Span<byte> message, int length, byte[] nameWire, byte[] algorithmWire, ulong time, ReadOnlySpan<byte> mac, ushort originalId, ushort error, ReadOnlySpan<byte> other)
    {
        int pos = length;
        nameWire.CopyTo(message[pos..]); pos += nameWire.Length;
        BinaryPrimitives.WriteUInt16BigEndian(message[pos..], Type);
        BinaryPrimitives.WriteUInt16BigEndian(message[(pos + 2)..], 255);         // class ANY
        BinaryPrimitives.WriteUInt32BigEndian(message[(pos + 4)..], 0);
        int rdLengthAt = pos + 8;
        pos += 10;
        int rdStart = pos;
        algorithmWire.CopyTo(message[pos..]); pos += algorithmWire.Length;
        BinaryPrimitives.WriteUInt16BigEndian(message[pos..], (ushort)(time >> 32));
        BinaryPrimitives.WriteUInt32BigEndian(message[(pos + 2)..], (uint)time);
        BinaryPrimitives.WriteUInt16BigEndian(message[(pos + 6)..], Fudge);
        BinaryPrimitives.WriteUInt16BigEndian(message[(pos + 8)..], (ushort)mac.Length);
        pos += 10;
        mac.CopyTo(message[pos..]); pos += mac.Length;
        BinaryPrimitives.WriteUInt16BigEndian(message[pos..], originalId);
        BinaryPrimitives.WriteUInt16BigEndian(message[(pos + 2)..], error);
        BinaryPrimitives.WriteUInt16BigEndian(message[(pos + 4)..], (ushort)other.Length);
        pos += 6;
        other.CopyTo(message[pos..]); pos += other.Length;
        BinaryPrimitives.WriteUInt16BigEndian(message[rdLengthAt..], (ushort)(pos - rdStart));
        BinaryPrimitives.WriteUInt16BigEndian(message[10..], (ushort)(BinaryPrimitives.ReadUInt16BigEndian(message[10..]) + 1));
        return pos;
    }

    private static void AppendVariables(IncrementalHash hmac, TsigKey key, ulong time, ushort fudge, ushort error, ReadOnlySpan<byte> other)
    {
        hmac.AppendData(key.NameWire);
        Span<byte> b = stackalloc byte[6];
        BinaryPrimitives.WriteUInt16BigEndian(b, 255);                            // class ANY
        BinaryPrimitives.WriteUInt32BigEndian(b[2..], 0);                         // TTL
        hmac.AppendData(b);
        hmac.AppendData(key.AlgorithmWire);
        AppendTimers(hmac, time, fudge);
        BinaryPrimitives.WriteUInt16BigEndian(b, error);
        BinaryPrimitives.WriteUInt16BigEndian(b[2..], (ushort)other.Length);
        hmac.AppendData(b[..4]);
        hmac.AppendData(other);
    }

    private static void AppendTimers(IncrementalHash hmac, ulong time, ushort fudge)
    {
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteUInt16BigEndian(b, (ushort)(time >> 32));
        BinaryPrimitives.WriteUInt32BigEndian(b[2..], (uint)time);
        BinaryPrimitives.WriteUInt16BigEndian(b[6..], fudge);
        hmac.AppendData(b);
    }

    /// <summary>Reads a name (following compression pointers) into canonical form: lower case, uncompressed.</summary>
    private static bool ReadName(ReadOnlySpan<byte> m, ref int pos, List<byte> wire)
    {
        int p = pos, jumps = 0;
        bool jumped = false;
        while (p < m.Length)
        {
            byte len = m[p];
            if (len == 0)
            {
                wire.Add(0);
                if (!jumped) pos = p + 1;
                return wire.Count <= 255;
            }
            if ((len & 0xC0) == 0xC0)
            {
                if (p + 1 >= m.Length || ++jumps > 64) return false;
                if (!jumped) pos = p + 2;
                jumped = true;
                p = (len & 0x3F) << 8 | m[p + 1];
                continue;
            }
            if ((len & 0xC0) != 0 || p + 1 + len > m.Length) return false;
            wire.Add(len);
            for (int i = 1; i <= len; i++) wire.Add((byte)char.ToLowerInvariant((char)m[p + i]));
            p += 1 + len;
        }
        return false;
    }
}
