using System.Net;
using System.Net.Sockets;

namespace DnsFp.Server.Lifecycle;

/// <summary>
/// A set of address ranges for the query path: merged, sorted interval arrays per family, searched by binary search
/// (no allocation, no lock; rbldnsd's ip4set does the same). Immutable; rebuilt and swapped when the ranges change.
/// </summary>
internal sealed class RangeSet
{
    private readonly uint[] _v4First, _v4Last;
    private readonly UInt128[] _v6First, _v6Last;

    public static RangeSet Empty { get; } = new([]);

    public RangeSet(IEnumerable<AddressRange> ranges)
    {
        Ranges = ranges.Distinct().ToArray();
        (_v4First, _v4Last) = Merge(Ranges.Where(r => r.IsV4).Select(r => r.V4Bounds()));
        (_v6First, _v6Last) = Merge(Ranges.Where(r => !r.IsV4).Select(r => r.V6Bounds()));
    }

    /// <summary>The ranges as given (deduplicated), for lookups that say which one matched.</summary>
    public AddressRange[] Ranges { get; }

    public bool IsEmpty => Ranges.Length == 0;

    public bool Contains(uint address) => Find(_v4First, _v4Last, address);

    public bool Contains(UInt128 address) => Find(_v6First, _v6Last, address);

    public bool Contains(IPAddress address)
    {
        address = DnsFp.Contract.Fact.Canonical(address);
        var bytes = address.GetAddressBytes();
        return address.AddressFamily == AddressFamily.InterNetwork
            ? Contains(System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes))
            : Contains(System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(bytes));
    }

    /// <summary>The first given range that holds <paramref name="address"/>, for explanations.</summary>
    public AddressRange? Matching(IPAddress address)
    {
        foreach (var r in Ranges) if (r.Contains(address)) return r;
        return null;
    }

    private static bool Find<T>(T[] first, T[] last, T address) where T : IComparable<T>
    {
        if (first.Length == 0) return false;
        int i = Array.BinarySearch(first, address);
        if (i < 0) i = ~i - 1;                          // the last range starting at or before the address
        return i >= 0 && address.CompareTo(last[i]) <= 0;
    }

    private static (T[] First, T[] Last) Merge<T>(IEnumerable<(T First, T Last)> bounds) where T : struct, IComparable<T>, System.Numerics.IIncrementOperators<T>, System.Numerics.IMinMaxValue<T>
    {
        var sorted = bounds.OrderBy(b => b.First).ToList();
        var first = new List<T>(sorted.Count);
        var last = new List<T>(sorted.Count);
        foreach (var (f, l) in sorted)
        {
            // overlapping or adjacent: extend the previous range
            if (last.Count > 0 && (f.CompareTo(last[^1]) <= 0 || (last[^1].CompareTo(T.MaxValue) < 0 && f.CompareTo(Next(last[^1])) == 0)))
            {
                if (l.CompareTo(last[^1]) > 0) last[^1] = l;
                continue;
            }
            first.Add(f); last.Add(l);
        }
        return ([.. first], [.. last]);
    }

    private static T Next<T>(T value) where T : System.Numerics.IIncrementOperators<T> => ++value;
}
