using System.Security.Cryptography;
using DnsFp.Server.Engine;
using DnsFp.Server.Lifecycle;

namespace DnsFp.Server.RateLimit;

/// <summary>
/// Response rate limiting (the design of BIND's RRL, also in NSD and Knot): one account per client prefix, kind of
/// response and (for answers and NODATA) name, with a balance credited with the kind's rate every second, at most one
/// second's worth, and debited per response down to minus <c>Window</c> seconds' worth. A response that takes the
/// balance below zero is dropped, except every <c>Slip</c>th, which is sent truncated.
/// Accounts live in one table of 64-bit words updated with compare-and-swap: no lock and no allocation per query.
/// A word is tag (16 bits) | second (16) | balance (24, signed) | slip counter (8). Two accounts that meet in one slot
/// with different tags replace each other, which only ever hands out a fresh budget; the hash is keyed with a secret
/// chosen at start so that clients cannot aim at each other's slots. TCP is never limited (its source is not spoofed),
/// nor are clients with a valid server cookie.
/// </summary>
internal sealed class ResponseRateLimiter
{
    public enum Verdict { Send, Drop, Slip }

    private const int BalanceBits = 24;
    private const int MaxBalance = (1 << (BalanceBits - 1)) - 1;

    private readonly long[] _table;
    private readonly int _mask;
    private readonly ulong _seed = BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8));
    private readonly int[] _rates;
    private readonly int _window, _slip;
    private readonly uint _v4Mask;
    private readonly UInt128 _v6Mask;
    private readonly RangeSet _exempt;
    private readonly TimeProvider _time;
    private readonly long _ticksPerSecond;

    private long _dropped, _slipped;
    private long _lastPrefixHigh;          // for the log line: the last limited prefix (IPv4 in the low 32 bits, or the top 64 bits of IPv6)
    private int _lastFamilyAndKind;

    public ResponseRateLimiter(RateLimitOptions options, TimeProvider time)
    {
        _table = new long[options.TableSize];
        _mask = options.TableSize - 1;
        _rates = [options.ResponsesPerSecond, options.NoDataPerSecond, options.NxDomainsPerSecond, options.ErrorsPerSecond];
        _window = options.Window;
        _slip = options.Slip;
        _v4Mask = options.IPv4PrefixLength == 0 ? 0 : uint.MaxValue << (32 - options.IPv4PrefixLength);
        _v6Mask = UInt128.MaxValue << (128 - options.IPv6PrefixLength);
        _exempt = new RangeSet(options.ExemptRanges().Select(AddressRange.Parse));
        _time = time;
        _ticksPerSecond = time.TimestampFrequency;
        Options = options;
    }

    public RateLimitOptions Options { get; }

    public Verdict Check(in Client client, ResponseKind kind, ReadOnlySpan<byte> name, ushort type)
    {
        int rate = _rates[(int)kind];
        if (rate == 0 || client.Transport == AnswerEngine.Transport.Tcp) return Verdict.Send;
        if (client.IsV4 ? _exempt.Contains(client.V4) : _exempt.Contains(client.Address)) return Verdict.Send;

        UInt128 prefix = client.IsV4 ? client.V4 & _v4Mask : client.Address & _v6Mask;
        ulong hash = Hash(prefix, client.IsV4, kind, kind is ResponseKind.Answer or ResponseKind.NoData ? name : default, kind == ResponseKind.Answer ? type : (ushort)0);
        ref long slot = ref _table[(int)hash & _mask];
        long tag = (long)(hash >> 48);
        long now = (long)(ushort)(_time.GetTimestamp() / _ticksPerSecond);
        int floor = -Math.Min(MaxBalance, rate * _window);

        for (int attempt = 0; ; attempt++)
        {
            long old = Volatile.Read(ref slot);
            int balance, slips;
            if (old == 0 || (old >> 48 & 0xFFFF) != tag) { balance = rate; slips = 0; }
            else
            {
                long elapsed = (ushort)(now - (old >> 32 & 0xFFFF));
                balance = (int)(old << 32 >> 40);                                  // sign-extended 24 bits
                balance = elapsed > _window ? rate : (int)Math.Min(rate, balance + elapsed * rate);
                slips = (int)(old & 0xFF);
            }
            balance = Math.Max(floor, balance - 1);
            var verdict = Verdict.Send;
            if (balance < 0)
            {
                slips = (slips + 1) & 0xFF;
                verdict = _slip > 0 && slips % _slip == 0 ? Verdict.Slip : Verdict.Drop;
            }
            long updated = tag << 48 | now << 32 | ((long)balance & 0xFFFFFF) << 8 | (long)slips;
            if (Interlocked.CompareExchange(ref slot, updated, old) == old || attempt == 3)
            {
                if (verdict != Verdict.Send) Count(verdict, client, prefix, kind);
                return verdict;
            }
        }
    }

    private void Count(Verdict verdict, in Client client, UInt128 prefix, ResponseKind kind)
    {
        Interlocked.Increment(ref verdict == Verdict.Slip ? ref _slipped : ref _dropped);
        Volatile.Write(ref _lastPrefixHigh, client.IsV4 ? (long)(uint)prefix : (long)(ulong)(prefix >> 64));
        Volatile.Write(ref _lastFamilyAndKind, (client.IsV4 ? 0 : 0x100) | (int)kind);
    }

    /// <summary>Responses dropped and slipped since the last call, and an example of a limited prefix (for the log).</summary>
    public (long Dropped, long Slipped, string Example) TakeCounts()
    {
        long dropped = Interlocked.Exchange(ref _dropped, 0), slipped = Interlocked.Exchange(ref _slipped, 0);
        int familyAndKind = Volatile.Read(ref _lastFamilyAndKind);
        long high = Volatile.Read(ref _lastPrefixHigh);
        var kind = (ResponseKind)(familyAndKind & 0xFF);
        string example = (familyAndKind & 0x100) == 0
            ? $"{new System.Net.IPAddress(System.Buffers.Binary.BinaryPrimitives.ReverseEndianness((uint)high))}/{Options.IPv4PrefixLength} ({kind})"
            : $"{new System.Net.IPAddress(V6Bytes((ulong)high))}/{Options.IPv6PrefixLength} ({kind})";
        return (dropped, slipped, example);
    }

    private static byte[] V6Bytes(ulong high)
    {
        var bytes = new byte[16];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(bytes, high);
        return bytes;
    }

    /// <summary>FNV-1a over the key with the name lowercased (0x20 randomisation must not spread one name over many accounts), started from the secret seed and finished with a 64-bit mix.</summary>
    private ulong Hash(UInt128 prefix, bool v4, ResponseKind kind, ReadOnlySpan<byte> name, ushort type)
    {
        const ulong prime = 0x100000001b3;
        ulong h = _seed ^ (ulong)prefix ^ (ulong)(prefix >> 64) * 0x9E3779B97F4A7C15;
        h = (h ^ (ulong)kind ^ (v4 ? 0x100ul : 0ul) ^ (ulong)type << 16) * prime;
        foreach (byte b in name) h = (h ^ (uint)((uint)(b - 'A') < 26u ? b | 0x20 : b)) * prime;
        h ^= h >> 33; h *= 0xff51afd7ed558ccd; h ^= h >> 33; h *= 0xc4ceb9fe1a85ec53; h ^= h >> 33;
        return h;
    }
}
