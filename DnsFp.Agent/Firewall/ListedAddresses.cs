using System.Net;

namespace DnsFp.Agent.Firewall;

/// <summary>
/// The addresses the zone lists in the chosen bands, as of <see cref="Serial"/>: replaced by a full transfer,
/// changed by differences, and only ever by a complete transfer, so a broken one leaves the last good set.
/// </summary>
internal sealed class ListedAddresses
{
    private Dictionary<IPAddress, uint> _bands = [];

    /// <summary>The serial of the last complete transfer; null before the first.</summary>
    public uint? Serial { get; private set; }

    public int Count => _bands.Count;

    public void Apply(ZoneTransfer transfer)
    {
        switch (transfer.Kind)
        {
            case ZoneTransfer.Form.Full:
                _bands = new Dictionary<IPAddress, uint>(transfer.Listings);
                break;
            case ZoneTransfer.Form.Incremental:
                foreach (var change in transfer.Changes)
                {
                    if (change.Added) _bands[change.Address] = change.Band;
                    else if (_bands.TryGetValue(change.Address, out uint band) && band == change.Band) _bands.Remove(change.Address);
                }
                break;
        }
        Serial = transfer.Serial;
    }

    /// <summary>
    /// What the table should hold: everything, in address order, when it fits in <paramref name="max"/>; otherwise
    /// the highest bands first (the surest spam), and the number left out.
    /// </summary>
    public (IPAddress[] Chosen, int LeftOut) Choose(int max)
    {
        IEnumerable<KeyValuePair<IPAddress, uint>> entries = _bands;
        if (_bands.Count > max) entries = _bands.OrderByDescending(e => e.Value).ThenBy(e => e.Key, AddressOrder.Instance).Take(max);
        var chosen = entries.Select(e => e.Key).ToArray();
        Array.Sort(chosen, AddressOrder.Instance);
        return (chosen, _bands.Count - chosen.Length);
    }
}

/// <summary>IPv4 before IPv6, then by the address bytes: a stable order for the table file and for comparing sets.</summary>
internal sealed class AddressOrder : IComparer<IPAddress>
{
    public static readonly AddressOrder Instance = new();

    public int Compare(IPAddress? x, IPAddress? y)
    {
        if (ReferenceEquals(x, y)) return 0;
        if (x is null) return -1;
        if (y is null) return 1;
        int family = x.AddressFamily.CompareTo(y.AddressFamily);
        if (family != 0) return family;
        Span<byte> a = stackalloc byte[16], b = stackalloc byte[16];
        x.TryWriteBytes(a, out int n);
        y.TryWriteBytes(b, out _);
        return a[..n].SequenceCompareTo(b[..n]);
    }
}
