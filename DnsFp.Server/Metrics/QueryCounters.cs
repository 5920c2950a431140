using DnsFp.Server.Engine;
using DnsFp.Server.Wire;

namespace DnsFp.Server.Metrics;

/// <summary>
/// What the query path counts: responses by transport, rcode and query type, listing answers by band, and rate
/// limiting's drops and slips. Plain arrays indexed by those values and one Interlocked add per event, because the
/// query path allocates nothing and takes no lock: recording through a metrics library would look its tags up per
/// call. The instruments in <see cref="ServerMetrics"/> read these arrays only when Prometheus scrapes.
/// </summary>
internal sealed class QueryCounters
{
    /// <summary>The query types counted by name; the rest count as "other", a query with no readable question as "none".</summary>
    private static readonly (ushort Type, string Name)[] NamedTypes =
        [(1, "A"), (2, "NS"), (6, "SOA"), (16, "TXT"), (28, "AAAA"), (255, "ANY"), (252, "AXFR"), (251, "IXFR")];

    public static readonly string[] TypeNames = [.. NamedTypes.Select(t => t.Name), "other", "none"];
    private const int OtherType = 8, NoType = 9;

    /// <summary>RCODE 0–23 (BADVERS is 16, RFC 6891), and one slot for a query that got no response at all.</summary>
    public const int Rcodes = 24, Dropped = Rcodes, RcodeSlots = Rcodes + 1;

    private static readonly int Transports = Enum.GetValues<AnswerEngine.Transport>().Length;
    private readonly long[] _responses = new long[Transports * RcodeSlots * TypeNames.Length];
    private readonly long[] _bands = new long[256];
    private long _rateLimitDropped, _rateLimitSlipped;
    private static readonly byte[] TypeSlot = BuildTypeSlots();

    private static byte[] BuildTypeSlots()
    {
        var slots = new byte[256];
        Array.Fill(slots, (byte)OtherType);
        for (int i = 0; i < NamedTypes.Length; i++) slots[NamedTypes[i].Type] = (byte)i;
        slots[0] = NoType;
        return slots;
    }

    /// <summary>A response went out with <paramref name="rcode"/> (extended RCODE included) for a question of <paramref name="type"/> (0: none read).</summary>
    public void Responded(AnswerEngine.Transport transport, int rcode, ushort type) =>
        Interlocked.Increment(ref _responses[Slot(transport, Math.Min(rcode, Rcodes - 1), type)]);

    /// <summary>The query got no response (ACL drop, rate limiting's drop, nothing to answer to).</summary>
    public void Unanswered(AnswerEngine.Transport transport) => Interlocked.Increment(ref _responses[Slot(transport, Dropped, 0)]);

    /// <summary>A listing was answered with <paramref name="band"/> (127.0.0.x).</summary>
    public void Answered(uint band) => Interlocked.Increment(ref _bands[band & 0xFF]);

    public void RateLimited(bool slipped)
    {
        if (slipped) Interlocked.Increment(ref _rateLimitSlipped);
        else Interlocked.Increment(ref _rateLimitDropped);
    }

    private static int Slot(AnswerEngine.Transport transport, int rcode, ushort type) =>
        (((int)transport * RcodeSlots) + rcode) * TypeNames.Length + (type < 256 ? TypeSlot[type] : OtherType);

    /// <summary>Every non-zero response count, for a scrape.</summary>
    public IEnumerable<(AnswerEngine.Transport Transport, string Rcode, string Type, long Count)> Responses()
    {
        for (int i = 0; i < _responses.Length; i++)
        {
            long count = Interlocked.Read(ref _responses[i]);
            if (count == 0) continue;
            int type = i % TypeNames.Length, rest = i / TypeNames.Length;
            yield return ((AnswerEngine.Transport)(rest / RcodeSlots), RcodeName(rest % RcodeSlots), TypeNames[type], count);
        }
    }

    public IEnumerable<(int Band, long Count)> Bands()
    {
        for (int b = 0; b < _bands.Length; b++)
        {
            long count = Interlocked.Read(ref _bands[b]);
            if (count > 0) yield return (b, count);
        }
    }

    public (long Dropped, long Slipped) RateLimits => (Interlocked.Read(ref _rateLimitDropped), Interlocked.Read(ref _rateLimitSlipped));

    public static string RcodeName(int rcode) => rcode switch
    {
        Dropped => "dropped",
        (int)Rcode.NoError => "NOERROR",
        (int)Rcode.FormErr => "FORMERR",
        (int)Rcode.ServFail => "SERVFAIL",
        (int)Rcode.NxDomain => "NXDOMAIN",
        (int)Rcode.NotImp => "NOTIMP",
        (int)Rcode.Refused => "REFUSED",
        9 => "NOTAUTH",
        16 => "BADVERS",
        _ => "RCODE" + rcode.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
