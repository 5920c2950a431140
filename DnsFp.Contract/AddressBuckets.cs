using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace DnsFp.Contract;

/// <summary>
/// Where an address lives in Redis: hash <c>dnsfp:ip:4:{bucket}</c> or <c>dnsfp:ip:6:{bucket}</c>, field = the raw
/// address bytes (4 or 16), value = the label id. Buckets come from a hash of the whole address, not from a /24:
/// real sender addresses are spread so thinly that /24 keys hold about one address each, while hashed buckets stay
/// under Redis' compact-encoding limit (hash-max-listpack-entries, 128 by default) up to about 4M IPv4 addresses,
/// whatever the spread; 32,768 keys keep the per-key cost near 3 bytes per entry at 1M. Beyond 4M entries, raise
/// hash-max-listpack-entries (e.g. to 512) or the hashes fall back to a far larger encoding.
/// </summary>
public static class AddressBuckets
{
    public const int V4BucketCount = 1 << 15;
    public const int V6BucketCount = 1 << 12;

    public static string KeyFor(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            Span<byte> b = stackalloc byte[4];
            address.TryWriteBytes(b, out _);
            return V4Key(BinaryPrimitives.ReadUInt32BigEndian(b));
        }
        Span<byte> b6 = stackalloc byte[16];
        address.TryWriteBytes(b6, out _);
        return V6Key(BinaryPrimitives.ReadUInt128BigEndian(b6));
    }

    public static string V4Key(uint address) => V4BucketKey(V4Bucket(address));

    public static string V6Key(UInt128 address) => V6BucketKey(V6Bucket(address));

    /// <summary>The key of IPv4 bucket number <paramref name="bucket"/> (0 to <see cref="V4BucketCount"/> - 1).</summary>
    public static string V4BucketKey(int bucket) => RedisKeys.AddressPrefix + "4:" + bucket.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The key of IPv6 bucket number <paramref name="bucket"/> (0 to <see cref="V6BucketCount"/> - 1).</summary>
    public static string V6BucketKey(int bucket) => RedisKeys.AddressPrefix + "6:" + bucket.ToString(System.Globalization.CultureInfo.InvariantCulture);

    // Fibonacci hashing: neighbouring addresses land in unrelated buckets.
    public static int V4Bucket(uint address) => (int)((address * V4Scramble) >> 17) & (V4BucketCount - 1);

    public static int V6Bucket(UInt128 address)
    {
        ulong folded = (ulong)(address >> 64) ^ (ulong)address;
        return (int)((folded * 11400714819323198485ul) >> 52) & (V6BucketCount - 1);
    }

    /// <summary>Multiplier of <see cref="V4Bucket"/>: odd, so the product is a bijection on 32-bit values.</summary>
    public const uint V4Scramble = 2654435761u;

    /// <summary>The inverse of <see cref="V4Scramble"/> mod 2^32 (Newton's iteration, 5 steps give 32 bits).</summary>
    public static readonly uint V4Unscramble = Inverse(V4Scramble);

    /// <summary>
    /// Layout 2's IPv4 field (DnsFp.Contract/README.md): the low 17 bits of the scrambled address, whose top 15 bits
    /// are the bucket, so bucket and field together give the address back (<see cref="V4FromBucketField"/>).
    /// </summary>
    public static int V4Field(uint address) => (int)((address * V4Scramble) & 0x1FFFF);

    public static uint V4FromBucketField(int bucket, int field) => (((uint)bucket << 17) | ((uint)field & 0x1FFFF)) * V4Unscramble;

    private static uint Inverse(uint odd)
    {
        uint x = odd;                                // correct to 3 bits for any odd number
        for (int i = 0; i < 5; i++) x *= 2 - odd * x;
        return x;
    }

    /// <summary>The hash field for an address: its network-order bytes (4 for IPv4, 16 for IPv6).</summary>
    public static byte[] FieldFor(IPAddress address) => address.GetAddressBytes();
}
