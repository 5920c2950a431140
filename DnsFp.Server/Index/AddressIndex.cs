using System.Collections.Concurrent;

namespace DnsFp.Server.Index;

/// <summary>
/// Address → stored <see cref="DnsFp.Contract.ListingRecord"/> (label id, last-seen day, sources) for IPv4 and IPv6. Readers (the answer engine, many threads) never lock: they look in a small
/// concurrent dictionary of recent changes, then in an immutable sorted table. One writer (the change follower)
/// adds changes and, when they pile up, folds them into a new sorted table built aside and swapped in.
/// </summary>
internal sealed class AddressIndex
{
    /// <summary>Record meaning "removed" in the change overlay (a stored record always has a label id ≥ 1).</summary>
    public const int Removed = 0;

    // Changes pile up in the overlay until there are this many, or a sixteenth of the table if that is more: a merge
    // copies the whole table, so a fixed threshold made a 10M import copy 80 MB 150 times (1.3 GB RSS at its peak,
    // bench/ingest.sh); proportional, it is about 16 merges whatever the size, and the overlay stays small.
    private const int MinMergeThreshold = 65_536;
    private int MergeThresholdV4 => Math.Max(MinMergeThreshold, _v4.Count / 16);
    private int MergeThresholdV6 => Math.Max(MinMergeThreshold, _v6.Count / 16);

    // A merge of a big table leaves the old arrays (tens of MB, large-object heap) for a full collection that can be
    // a long way off; collect them at once so the next merge reuses that memory instead of growing the process.
    private const int CollectAfterMergeOf = 1_000_000;

    private volatile SortedAddressTable<uint> _v4;
    private volatile SortedAddressTable<UInt128> _v6;
    private readonly ConcurrentDictionary<uint, int> _v4Changes = new();
    private readonly ConcurrentDictionary<UInt128, int> _v6Changes = new();
    // Sets since the last merge, counted by the one writer: ConcurrentDictionary.Count takes every lock of the
    // dictionary, which made it most of the follower's time during a bulk import (perf, issue #13).
    private int _v4Sets, _v6Sets;
    // Addresses held, kept by the one writer as it sets: the tables' counts plus the overlay's would count an address
    // changed since the last merge twice (the status page and the metrics show this number).
    private int _liveV4, _liveV6;

    public AddressIndex(SortedAddressTable<uint> v4, SortedAddressTable<UInt128> v6)
    {
        _v4 = v4; _v6 = v6;
        _liveV4 = v4.Count; _liveV6 = v6.Count;
    }

    public static AddressIndex CreateEmpty() => new(SortedAddressTable<uint>.Empty, SortedAddressTable<UInt128>.Empty);

    /// <summary>Addresses held (with a record; removed ones not counted).</summary>
    public int Count => Counts.V4 + Counts.V6;

    /// <summary>IPv4 and IPv6 addresses held.</summary>
    public (int V4, int V6) Counts => (Volatile.Read(ref _liveV4), Volatile.Read(ref _liveV6));

    public bool TryGet(uint address, out int record)
    {
        if (_v4Changes.TryGetValue(address, out record)) return record != Removed;
        return _v4.TryGet(address, out record);
    }

    public bool TryGet(UInt128 address, out int record)
    {
        if (_v6Changes.TryGetValue(address, out record)) return record != Removed;
        return _v6.TryGet(address, out record);
    }

    /// <summary>Bytes of the sorted tables (pending changes not counted), and how many IPv4 and IPv6 entries they hold.</summary>
    public (long Bytes, int V4, int V6) Size => (_v4.Bytes + _v6.Bytes, _v4.Count, _v6.Count);

    /// <summary>Writer only.</summary>
    public void Set(uint address, int record)
    {
        int change = (record != Removed ? 1 : 0) - (TryGet(address, out _) ? 1 : 0);
        if (change != 0) Volatile.Write(ref _liveV4, _liveV4 + change);
        _v4Changes[address] = record;
        if (++_v4Sets > MergeThresholdV4) MergeV4();
    }

    /// <summary>Writer only.</summary>
    public void Set(UInt128 address, int record)
    {
        int change = (record != Removed ? 1 : 0) - (TryGet(address, out _) ? 1 : 0);
        if (change != 0) Volatile.Write(ref _liveV6, _liveV6 + change);
        _v6Changes[address] = record;
        if (++_v6Sets > MergeThresholdV6) MergeV6();
    }

    /// <summary>Every IPv4 entry (base table with pending changes applied), for exports.</summary>
    public IEnumerable<KeyValuePair<uint, int>> V4Entries() => _v4.With(_v4Changes.ToArray()).Entries();

    /// <summary>Every IPv6 entry, for exports.</summary>
    public IEnumerable<KeyValuePair<UInt128, int>> V6Entries() => _v6.With(_v6Changes.ToArray()).Entries();

    /// <summary>
    /// The index as it is now, to enumerate while it goes on changing: the immutable tables and a sorted copy of the
    /// pending changes (at most a sixteenth of the table). Take it while holding <see cref="IndexHolder.Writer"/>.
    /// </summary>
    public AddressSnapshot Snapshot()
    {
        var v4 = _v4Changes.ToArray();
        var v6 = _v6Changes.ToArray();
        Array.Sort(v4, (x, y) => x.Key.CompareTo(y.Key));
        Array.Sort(v6, (x, y) => x.Key.CompareTo(y.Key));
        return new AddressSnapshot(_v4, v4, _v6, v6);
    }

    private void MergeV4()
    {
        _v4Sets = 0;
        var pending = _v4Changes.ToArray();
        _v4 = _v4.With(pending);
        // Readers between the swap and this removal see the same value in both places.
        foreach (var p in pending) _v4Changes.TryRemove(p);
        if (_v4.Count > CollectAfterMergeOf) GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: false);
    }

    private void MergeV6()
    {
        _v6Sets = 0;
        var pending = _v6Changes.ToArray();
        _v6 = _v6.With(pending);
        foreach (var p in pending) _v6Changes.TryRemove(p);
        if (_v6.Count > CollectAfterMergeOf) GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: false);
    }
}

/// <summary>A consistent view of the <see cref="AddressIndex"/> at one moment (zone transfers).</summary>
internal sealed class AddressSnapshot(SortedAddressTable<uint> v4, KeyValuePair<uint, int>[] v4Changes, SortedAddressTable<UInt128> v6, KeyValuePair<UInt128, int>[] v6Changes)
{
    public IEnumerable<KeyValuePair<uint, int>> V4Entries() => v4.EntriesWith(v4Changes);

    public IEnumerable<KeyValuePair<UInt128, int>> V6Entries() => v6.EntriesWith(v6Changes);
}
