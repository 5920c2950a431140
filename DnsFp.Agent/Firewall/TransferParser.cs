using System.Net;

namespace DnsFp.Agent.Firewall;

/// <summary>
/// Follows the records of an AXFR or IXFR answer across its messages (RFC 5936 2.2, RFC 1995 4): the first SOA gives
/// the new serial; a second SOA right after it means differences (sequences of old SOA, deletions, new SOA,
/// additions), anything else the whole zone; the transfer ends with the new serial's SOA. The RFC 5782 test entries
/// (127.0.0.2, ::ffff:7f00:2) are never firewall material and are skipped.
/// </summary>
internal sealed class TransferParser(string zone, uint? knownSerial, BandList bands)
{
    private enum State { First, Second, Full, Deleting, Adding, Done }

    private State _state;
    private uint _serial;
    private int _messages;
    private readonly Dictionary<IPAddress, uint> _listings = [];
    private readonly List<ZoneTransfer.Change> _changes = [];

    public bool Done => _state == State.Done;

    public ZoneTransfer Result => _state == State.Done ? new ZoneTransfer(_serial, _form, _listings, _changes) : throw new InvalidOperationException("the transfer is not complete");

    private ZoneTransfer.Form _form = ZoneTransfer.Form.Current;

    /// <summary>Reads one message of the answer to query <paramref name="id"/>.</summary>
    public void Read(ReadOnlySpan<byte> message, ushort id)
    {
        var reader = new TransferReader(message);
        if (reader.Id != id || !reader.IsResponse) throw new InvalidDataException($"a message that is not the answer to our transfer query (id {reader.Id}, expected {id})");
        if (reader.Rcode != 0) throw new TransferRefusedException(reader.Rcode);
        _messages++;
        while (_state != State.Done && reader.TryReadRecord(out string owner, out ushort type, out int rdata, out int length))
        {
            if (type == TransferReader.TypeSoa) Soa(owner, reader.SoaSerial(rdata));
            else if (type == TransferReader.TypeA) Listing(owner, reader.ARecord(rdata, length));
            else if (_state == State.Second) { _form = ZoneTransfer.Form.Full; _state = State.Full; }
        }
        // RFC 1995 2: an IXFR answered with the one SOA of the serial we have means nothing changed
        if (_messages == 1 && _state == State.Second && _serial == knownSerial) _state = State.Done;
    }

    private void Soa(string owner, uint serial)
    {
        if (!owner.Equals(zone, StringComparison.OrdinalIgnoreCase)) throw new InvalidDataException($"an SOA for '{owner}' in the transfer of {zone}");
        switch (_state)
        {
            case State.First: _serial = serial; _state = State.Second; break;
            case State.Second: _form = ZoneTransfer.Form.Incremental; _state = State.Deleting; break;
            case State.Full: _state = State.Done; break;
            case State.Deleting: _state = State.Adding; break;
            case State.Adding: _state = serial == _serial ? State.Done : State.Deleting; break;
        }
    }

    private void Listing(string owner, uint band)
    {
        switch (_state)
        {
            case State.First: throw new InvalidDataException($"the transfer of {zone} does not start with its SOA");
            case State.Second: _form = ZoneTransfer.Form.Full; _state = State.Full; break;
        }
        if (ListingName.AddressOf(owner, zone) is not { } address || IPAddress.IsLoopback(address)) return;
        switch (_state)
        {
            case State.Full when bands.Contains(band): _listings[address] = band; break;
            case State.Deleting: _changes.Add(new ZoneTransfer.Change(false, address, band)); break;
            case State.Adding when bands.Contains(band): _changes.Add(new ZoneTransfer.Change(true, address, band)); break;
        }
    }
}

/// <summary>The server answered the transfer query with an error code (REFUSED: this host is not in its Transfer:Allow).</summary>
internal sealed class TransferRefusedException(int rcode) : Exception(rcode switch
{
    5 => "the server REFUSED the transfer: allow this host in its Transfer:Allow (\"ADDRESS NOKEY\")",
    9 => "the server is not authoritative for the zone (NOTAUTH): check Firewall:Zone",
    _ => $"the server answered the transfer with rcode {rcode}",
});
