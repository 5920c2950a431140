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

    /// <summary>
    /// A new table: this one with <paramref name="changes"/> applied (record 0 removes an entry; of repeated keys in
    /// the changes the last wins). A linear merge of the sorted changes into the sorted arrays: no per-entry objects,
    /// and the only temporary memory is the new table itself.
    /// </summary>
    public SortedAddressTable<TKey> With(IEnumerable<KeyValuePair<TKey, int>> changes)
    {
        var pending = changes.ToArray();
        var changeKeys = new TKey[pending.Length];
        var order = new int[pending.Length];
        for (int i = 0; i < pending.Length; i++) { changeKeys[i] = pending[i].Key; order[i] = i; }
        Array.Sort(changeKeys, order);
        var keys = new TKey[_keys.Length + pending.Length];
        var records = new int[keys.Length];
        int a = 0, c = 0, n = 0;
        while (a < _keys.Length || c < changeKeys.Length)
        {
            int cmp = c == changeKeys.Length ? -1 : a == _keys.Length ? 1 : _keys[a].CompareTo(changeKeys[c]);
            if (cmp < 0) { keys[n] = _keys[a]; records[n++] = _records[a++]; continue; }
            // the last change of this key wins (Array.Sort is not stable, so find it by original position)
            var key = changeKeys[c];
            int latest = order[c];
            while (++c < changeKeys.Length && changeKeys[c].CompareTo(key) == 0) latest = Math.Max(latest, order[c]);
            if (cmp == 0) a++;
            int record = pending[latest].Value;
            if (record != 0) { keys[n] = key; records[n++] = record; }
        }
        return new SortedAddressTable<TKey>(keys, records, n);
    }

    /// <summary>Already sorted, without repeats: takes the first <paramref name="count"/> entries.</summary>
    private SortedAddressTable(TKey[] keys, int[] records, int count)
    {
        _keys = count == keys.Length ? keys : keys[..count];
        _records = count == records.Length ? records : records[..count];
    }

    /// <summary>Bytes the table's arrays take (the index's memory per listing, for logs and the bench).</summary>
    public long Bytes => (long)_keys.Length * System.Runtime.CompilerServices.Unsafe.SizeOf<TKey>() + (long)_records.Length * sizeof(int);

    /// <summary>
    /// Every entry in address order with <paramref name="sortedChanges"/> (sorted by key, one per key) laid over it
    /// (record 0 removes), without building the merged table: a zone transfer streams a million listings in a few MB.
    /// </summary>
    public IEnumerable<KeyValuePair<TKey, int>> EntriesWith(KeyValuePair<TKey, int>[] sortedChanges)
    {
        int a = 0, c = 0;
        while (a < _keys.Length || c < sortedChanges.Length)
        {
            int cmp = c == sortedChanges.Length ? -1 : a == _keys.Length ? 1 : _keys[a].CompareTo(sortedChanges[c].Key);
            if (cmp < 0) { yield return new(_keys[a], _records[a]); a++; continue; }
            if (cmp == 0) a++;
            var change = sortedChanges[c++];
            if (change.Value != 0) yield return change;
        }
    }

    public IEnumerable<KeyValuePair<TKey, int>> Entries()
    {
        for (int i = 0; i < _keys.Length; i++) yield return new(_keys[i], _records[i]);
    }
}
