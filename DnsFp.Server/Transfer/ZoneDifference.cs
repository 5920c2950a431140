using DnsFp.Server.Index;
using DnsFp.Server.Wire;

namespace DnsFp.Server.Transfer;

/// <summary>
/// An incremental transfer (RFC 1995 4) from one served snapshot to the current one: new SOA, old SOA, the records
/// that went, new SOA, the records that came, new SOA. Condensed by construction: both snapshots are walked in address
/// order side by side and only addresses whose answer differs (listed, delisted, expired, re-rated) appear, once,
/// however many changes they went through in between. Streamed like <see cref="ZoneContent"/>.
/// </summary>
internal sealed class ZoneDifference(ZoneSnapshot from, ZoneSnapshot to)
{
    private enum Phase { NewSoa, OldSoa, Deleted4, Deleted6, MiddleSoa, Added4, Added6, FinalSoa, Done }

    private Phase _phase;
    private IEnumerator<(uint Address, ListingAnswer? Old, ListingAnswer? New)>? _v4;
    private IEnumerator<(UInt128 Address, ListingAnswer? Old, ListingAnswer? New)>? _v6;
    private bool _pending;

    public uint Serial => to.Serial;
    public long Deleted { get; private set; }
    public long Added { get; private set; }

    /// <summary>Addresses whose answer differs between the two snapshots (a pass of its own, to decide whether to send the difference at all).</summary>
    public long CountChanged() => Changes4().LongCount() + Changes6().LongCount();

    public bool Fill(TransferMessage m)
    {
        Span<byte> owner = stackalloc byte[64];
        while (_phase != Phase.Done)
        {
            switch (_phase)
            {
                case Phase.NewSoa or Phase.MiddleSoa or Phase.FinalSoa:
                    if (!m.TryAdd([], (ushort)RecordType.SOA, to.Zone.Soa.Ttl, to.SoaRdata)) return true;
                    _phase = _phase == Phase.NewSoa ? Phase.OldSoa : _phase == Phase.MiddleSoa ? Phase.Added4 : Phase.Done;
                    if (_phase is Phase.Added4) _v4 = null;
                    break;
                case Phase.OldSoa:
                    if (!m.TryAdd([], (ushort)RecordType.SOA, from.Zone.Soa.Ttl, from.SoaRdata)) return true;
                    _phase = Phase.Deleted4;
                    break;
                case Phase.Deleted4 or Phase.Added4:
                    {
                        bool deleting = _phase == Phase.Deleted4;
                        _v4 ??= Changes4().GetEnumerator();
                        while (_pending || _v4.MoveNext())
                        {
                            _pending = false;
                            var (address, old, now) = _v4.Current;
                            var answer = deleting ? old : now;
                            if (answer is null) continue;
                            if (!m.TryAddListing(owner[..ZoneContent.V4Owner(address, owner)], to.Zone.ListingTtl, answer.Band, answer.TxtRdata)) { _pending = true; return true; }
                            if (deleting) Deleted++; else Added++;
                        }
                        _v4 = null;
                        _phase = deleting ? Phase.Deleted6 : Phase.Added6;
                        break;
                    }
                case Phase.Deleted6 or Phase.Added6:
                    {
                        bool deleting = _phase == Phase.Deleted6;
                        _v6 ??= Changes6().GetEnumerator();
                        while (_pending || _v6.MoveNext())
                        {
                            _pending = false;
                            var (address, old, now) = _v6.Current;
                            var answer = deleting ? old : now;
                            if (answer is null) continue;
                            if (!m.TryAddListing(owner[..ZoneContent.V6Owner(address, owner)], to.Zone.ListingTtl, answer.Band, answer.TxtRdata)) { _pending = true; return true; }
                            if (deleting) Deleted++; else Added++;
                        }
                        _v6 = null;
                        _phase = deleting ? Phase.MiddleSoa : Phase.FinalSoa;
                        break;
                    }
            }
        }
        return false;
    }

    private IEnumerable<(uint, ListingAnswer?, ListingAnswer?)> Changes4() =>
        Merge(from.Addresses.V4Entries(), to.Addresses.V4Entries(), from.AnswerOf, to.AnswerOf);

    private IEnumerable<(UInt128, ListingAnswer?, ListingAnswer?)> Changes6() =>
        Merge(from.Addresses.V6Entries(), to.Addresses.V6Entries(), from.AnswerOf, to.AnswerOf);

    /// <summary>Both sorted entry streams side by side: every address whose answer is not the same in both.</summary>
    private static IEnumerable<(T, ListingAnswer?, ListingAnswer?)> Merge<T>(IEnumerable<KeyValuePair<T, int>> before, IEnumerable<KeyValuePair<T, int>> after,
        Func<T, int, ListingAnswer?> answerBefore, Func<T, int, ListingAnswer?> answerAfter) where T : IComparable<T>
    {
        using var a = before.GetEnumerator();
        using var b = after.GetEnumerator();
        bool hasA = a.MoveNext(), hasB = b.MoveNext();
        while (hasA || hasB)
        {
            int cmp = !hasB ? -1 : !hasA ? 1 : a.Current.Key.CompareTo(b.Current.Key);
            T address = cmp <= 0 ? a.Current.Key : b.Current.Key;
            var old = cmp <= 0 ? answerBefore(a.Current.Key, a.Current.Value) : null;
            var now = cmp >= 0 ? answerAfter(b.Current.Key, b.Current.Value) : null;
            if (cmp <= 0) hasA = a.MoveNext();
            if (cmp >= 0) hasB = b.MoveNext();
            if (!Same(old, now)) yield return (address, old, now);
        }
    }

    private static bool Same(ListingAnswer? a, ListingAnswer? b) =>
        ReferenceEquals(a, b) || (a is not null && b is not null && a.Band == b.Band && a.TxtRdata.AsSpan().SequenceEqual(b.TxtRdata));
}
