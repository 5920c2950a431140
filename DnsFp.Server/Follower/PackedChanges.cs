using System.Buffers.Binary;

namespace DnsFp.Server.Follower;

/// <summary>
/// The address changes of one packed change-feed field (<see cref="ChangeFeed"/>): address, then the record, both
/// big-endian, 8 bytes per IPv4 change and 20 per IPv6 one. Enumerated in place, without allocating: the follower
/// reads every change of a bulk load through it. A trailing partial change (a corrupt field) is ignored.
/// </summary>
public ref struct PackedChanges(ReadOnlySpan<byte> packed, int addressLength)
{
    private readonly ReadOnlySpan<byte> _packed = packed;
    private int _next;

    public readonly int Count => _packed.Length / (addressLength + 4);

    /// <summary>The address bytes of the current change.</summary>
    public ReadOnlySpan<byte> Address { get; private set; }

    /// <summary>The current change's record (<see cref="Index.AddressIndex.Removed"/>: the listing went away).</summary>
    public int Record { get; private set; }

    public bool MoveNext()
    {
        if (_next + addressLength + 4 > _packed.Length) return false;
        Address = _packed.Slice(_next, addressLength);
        Record = BinaryPrimitives.ReadInt32BigEndian(_packed.Slice(_next + addressLength, 4));
        _next += addressLength + 4;
        return true;
    }

    public readonly PackedChanges GetEnumerator() => this;

    public readonly PackedChanges Current => this;
}
