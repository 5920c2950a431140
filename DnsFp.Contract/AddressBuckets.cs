using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace DnsFp.Contract;

/// <summary>
/// Where an address lives in Redis (layout 2, README.md beside this file): hash <c>dnsfp:ip4:{shard}:bucket</c> or
/// <c>dnsfp:ip6:{shard}:bucket</c>; IPv4 field = the low 17 bits of the scrambled address (<see cref="V4Field"/>),
/// IPv6 field = the 16 address bytes; value = a <see cref="ListingRecord"/>. Buckets come from a hash of the whole address, not from a /24:
/// real sender addresses are spread so thinly that /24 keys hold about one address each, while hashed buckets stay
/// under Redis' compact-encoding limit (hash-max-listpack-entries, 128 by default) up to about 4M IPv4 addresses,
/// whatever the spread; 32,768 keys keep the per-key cost near 3 bytes per entry at 1M. Beyond 4M entries, raise
/// hash-max-listpack-entries (e.g. to 512) or the hashes fall back to a far larger encoding.
/// </summary>
public static class AddressBuckets
{
    public const int V4BucketCount = 1 << 15;
    public const int V6BucketCount = 1 << 12;

    /// <summary>IPv4 buckets, then IPv6 buckets: the sweep's cursor runs over this range.</summary>
    public const int TotalBuckets = V4BucketCount + V6BucketCount;

    /// <summary>Shards (Redis Cluster hash tags): bucket b is in shard b mod 64, so every key of a shard is in one slot.</summary>
    public const int ShardCount = 64;

    /// <summary>The shard of an address: agents pick its facts stream by it, the fold groups its script calls by it.</summary>
    public static int ShardOf(IPAddress address) => ShardOfBucket(BucketAt(address));

    /// <summary>The shard of bucket <paramref name="index"/> of the sweep's range (IPv4 buckets first, then IPv6).</summary>
    public static int ShardOfBucket(int index) => (index < V4BucketCount ? index : index - V4BucketCount) % ShardCount;

    public static string KeyFor(IPAddress address) => BucketKeyAt(BucketAt(address));

    /// <summary>The bucket of an address as an index of the sweep's range: its IPv4 bucket, or V4BucketCount + its IPv6 bucket.</summary>
    private static int BucketAt(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            Span<byte> b = stackalloc byte[4];
            address.TryWriteBytes(b, out _);
            return V4Bucket(BinaryPrimitives.ReadUInt32BigEndian(b));
        }
        Span<byte> b6 = stackalloc byte[16];
        address.TryWriteBytes(b6, out _);
        return V4BucketCount + V6Bucket(BinaryPrimitives.ReadUInt128BigEndian(b6));
    }

    public static string V4Key(uint address) => V4BucketKey(V4Bucket(address));

    public static string V6Key(UInt128 address) => V6BucketKey(V6Bucket(address));

    /// <summary>The key of IPv4 bucket number <paramref name="bucket"/> (0 to <see cref="V4BucketCount"/> - 1).</summary>
    public static string V4BucketKey(int bucket) => BucketKey("dnsfp:ip4:{", bucket);

    /// <summary>The key of IPv6 bucket number <paramref name="bucket"/> (0 to <see cref="V6BucketCount"/> - 1).</summary>
    public static string V6BucketKey(int bucket) => BucketKey("dnsfp:ip6:{", bucket);

    /// <summary>Bucket <paramref name="index"/> of the sweep's range: IPv4 buckets first, then IPv6.</summary>
    public static string BucketKeyAt(int index) => index < V4BucketCount ? V4BucketKey(index) : V6BucketKey(index - V4BucketCount);

    private static string BucketKey(string prefix, int bucket)
    {
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        return prefix + (bucket % ShardCount).ToString(inv) + "}:" + bucket.ToString(inv);
    }

    /// <summary>Layout 1's key of an IPv4 (<paramref name="v6"/> false) or IPv6 bucket, for the migration.</summary>
    public static string Layout1BucketKey(bool v6, int bucket) =>
        RedisKeys.Layout1AddressPrefix + (v6 ? "6:" : "4:") + bucket.ToString(System.Globalization.CultureInfo.InvariantCulture);

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

    /// <summary>The hash field for an address: <see cref="V4Field"/> in decimal for IPv4, the 16 bytes for IPv6.</summary>
    public static RedisValue FieldFor(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetwork) return address.GetAddressBytes();
        Span<byte> b = stackalloc byte[4];
        address.TryWriteBytes(b, out _);
        return V4Field(BinaryPrimitives.ReadUInt32BigEndian(b));
    }
}
