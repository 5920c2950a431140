namespace DnsFp.Server.Index;

/// <summary>
/// An immutable address → listing record table: two parallel arrays sorted by address, searched by binary search.
/// 8 bytes per IPv4 entry and 20 per IPv6 entry, no per-entry objects, nothing allocated per lookup (rbldnsd's
/// ip4set lays out its data the same way).
/// </summary>
internal sealed class SortedAddressTable<TKey> where TKey : unmanaged, IComparable<TKey>
{
    private readonly TKey[] _keys;
    private readonly int[] _records;

    public static SortedAddressTable<TKey> Empty { get; } = new([], []);

    /// <summary>Takes ownership of the arrays; sorts them, and keeps the last record for a repeated key.</summary>
    public SortedAddressTable(TKey[] keys, int[] records)
    {
        Array.Sort(keys, records);
        int n = 0;
        for (int i = 0; i < keys.Length; i++)
        {
            if (n > 0 && keys[n - 1].CompareTo(keys[i]) == 0) { records[n - 1] = records[i]; continue; }
            keys[n] = keys[i]; records[n] = records[i]; n++;
        }
        _keys = n == keys.Length ? keys : keys[..n];
        _records = n == records.Length ? records : records[..n];
    }

    public int Count => _keys.Length;

    public bool TryGet(TKey key, out int record)
    {
        int i = Array.BinarySearch(_keys, key);
        if (i < 0) { record = 0; return false; }
        record = _records[i];
        return true;
    }

    /// <summary>A new table: this one with <paramref name="changes"/> applied (record 0 removes an entry).</summary>
    public SortedAddressTable<TKey> With(IEnumerable<KeyValuePair<TKey, int>> changes)
    {
        var merged = new Dictionary<TKey, int>(_keys.Length);
        for (int i = 0; i < _keys.Length; i++) merged[_keys[i]] = _records[i];
        foreach (var c in changes)
        {
            if (c.Value == 0) merged.Remove(c.Key); else merged[c.Key] = c.Value;
        }
        return new SortedAddressTable<TKey>([.. merged.Keys], [.. merged.Values]);
    }

    public IEnumerable<KeyValuePair<TKey, int>> Entries()
    {
        for (int i = 0; i < _keys.Length; i++) yield return new(_keys[i], _records[i]);
    }
}
