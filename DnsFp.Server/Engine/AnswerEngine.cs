using System.Buffers.Binary;
using DnsFp.Contract;
using DnsFp.Server.Bands;
using DnsFp.Server.Index;
using DnsFp.Server.Wire;
using DnsFp.Server.Zones;

namespace DnsFp.Server.Engine;

/// <summary>
/// Query bytes in, response bytes out: every transport (UDP, TCP, tests, benchmarks) calls this one method. It has no
/// sockets, no Redis and no await, allocates nothing, and never throws on input: a packet it cannot read as a
/// query gets FORMERR when a header can be read, otherwise nothing. The DNS contract it implements is in README.md
/// beside this file (and DESIGN.md).
/// </summary>
internal sealed class AnswerEngine(ZoneSet zones, IndexHolder index)
{
    public enum Transport { Udp, Tcp }

    public const int MaxUdpWithoutEdns = 512;
    public const int MaxTcp = 65535;

    private static readonly ushort QuestionName = ResponseWriter.PointerTo(DnsHeader.Size);

    /// <summary>Writes the response for <paramref name="query"/> into <paramref name="response"/> and returns its length; 0 means drop.</summary>
    public int Answer(ReadOnlySpan<byte> query, Span<byte> response, Transport transport)
    {
        if (query.Length < DnsHeader.Size || response.Length < MaxUdpWithoutEdns) return 0;   // no id to answer to
        var header = new DnsHeader(query);
        if (header.IsResponse) return 0;                                                     // never answer answers

        Question q = default;
        bool hasQuestion = header.QuestionCount == 1 && Question.TryRead(query, out q);
        if (header.Opcode != 0) return Error(query, response, Rcode.NotImp, hasQuestion ? q.End : 0);
        if (!hasQuestion || header.AnswerCount != 0 || header.AuthorityCount != 0) return Error(query, response, Rcode.FormErr, 0);

        var ednsResult = EdnsOpt.TryRead(query, q.End, header.AdditionalCount, out var edns);
        if (ednsResult == EdnsOpt.ReadResult.Malformed) return Error(query, response, Rcode.FormErr, 0);
        if (edns.Present && edns.Version != 0) return Error(query, response, Rcode.NoError, q.End, edns, extendedRcodeHigh: 1);  // BADVERS, RFC 6891 6.1.3
        if (q.Type is (ushort)RecordType.OPT) return Error(query, response, Rcode.FormErr, q.End, edns);
        if (q.Class is not (RecordClass.IN or RecordClass.ANY)) return Error(query, response, Rcode.Refused, q.End, edns);
        if (q.Type is (ushort)RecordType.AXFR or (ushort)RecordType.IXFR) return Error(query, response, Rcode.Refused, q.End, edns);  // no transfers
        if (!zones.TryMatch(q.Name, out var zone, out int apexOffset, out int labelsBefore))
            return Error(query, response, Rcode.Refused, q.End, edns);                      // not ours: no recursion, ever

        int limit = transport == Transport.Tcp ? MaxTcp
            : edns.Present ? Math.Clamp((int)edns.PayloadSize, MaxUdpWithoutEdns, EdnsOpt.OurPayloadSize) : MaxUdpWithoutEdns;
        limit = Math.Min(limit, response.Length) - (edns.Present ? EdnsOpt.RecordSize : 0);

        int length = WriteHeaderAndQuestion(query, response, q.End);
        var writer = new ResponseWriter(response, length, limit);
        var rcode = AnswerInZone(zone, apexOffset, labelsBefore, q, ref writer, out bool fits);
        ushort flags = (ushort)(DnsHeader.QrBit | DnsHeader.AaBit | (header.Flags & (DnsHeader.RdBit | DnsHeader.CdBit)) | (ushort)rcode);
        if (!fits)
        {
            writer.Reset(length);                                                            // RFC 2181 9: drop the partial set, set TC
            flags |= DnsHeader.TcBit;
        }
        if (edns.Present) writer.WriteOpt(0, edns.DnssecOk);
        writer.FinishCounts();
        BinaryPrimitives.WriteUInt16BigEndian(response[2..], flags);
        return writer.Length;
    }

    private Rcode AnswerInZone(Zone zone, int apexOffset, int labelsBefore, in Question q, ref ResponseWriter w, out bool fits)
    {
        fits = true;
        var relative = q.Name[..apexOffset];
        if (labelsBefore == 0 || zone.HasStaticName(relative)) return AnswerStatic(zone, relative, apexOffset, q.Type, ref w, out fits);
        if (zone.IsEmptyNonTerminal(relative)) return NoData(zone, apexOffset, ref w, out fits);

        ListingAnswer? listing;
        switch (ReversedName.Read(relative, labelsBefore, out uint v4, out UInt128 v6))
        {
            case ReversedName.Kind.Partial:
                return NoData(zone, apexOffset, ref w, out fits);                             // QNAME minimisation: never NXDOMAIN
            case ReversedName.Kind.IPv4:
                listing = v4 switch
                {
                    BandTable.TestEntry => LabelTable.TestEntry,
                    BandTable.NeverListed => null,
                    _ => Lookup(index.Addresses.TryGet(v4, out int record) && index.Policy.IsListed(v4, record), record),
                };
                break;
            case ReversedName.Kind.IPv6:
                listing = Lookup(index.Addresses.TryGet(v6, out int record6) && index.Policy.IsListed(v6, record6), record6);
                break;
            default:
                listing = null;
                break;
        }
        if (listing is null)
        {
            fits = WriteSoa(zone, apexOffset, ref w);
            return Rcode.NxDomain;
        }

        uint ttl = zone.ListingTtl;
        switch ((RecordType)q.Type)
        {
            case RecordType.A:
                fits = w.TryWriteA(QuestionName, ttl, listing.Band);
                return Rcode.NoError;
            case RecordType.TXT:
                fits = w.TryWriteRecord(QuestionName, (ushort)RecordType.TXT, ttl, listing.TxtRdata);
                return Rcode.NoError;
            case RecordType.ANY:
                fits = w.TryWriteA(QuestionName, ttl, listing.Band) && w.TryWriteRecord(QuestionName, (ushort)RecordType.TXT, ttl, listing.TxtRdata);
                return Rcode.NoError;
            default:
                return NoData(zone, apexOffset, ref w, out fits);
        }
    }

    private ListingAnswer? Lookup(bool listed, int record) => listed ? index.Labels.Get(ListingRecord.LabelOf(record)) : null;

    private static Rcode AnswerStatic(Zone zone, ReadOnlySpan<byte> relative, int apexOffset, ushort type, ref ResponseWriter w, out bool fits)
    {
        fits = true;
        int written = 0;
        foreach (var r in zone.Records)
        {
            if ((r.Type != type && type != (ushort)RecordType.ANY) || !WireName.EqualsIgnoreCase(r.RelativeOwner, relative)) continue;
            if (!w.TryWriteRecord(QuestionName, r.Type, r.Ttl, r.Rdata)) { fits = false; return Rcode.NoError; }
            written++;
        }
        return written > 0 ? Rcode.NoError : NoData(zone, apexOffset, ref w, out fits);
    }

    private static Rcode NoData(Zone zone, int apexOffset, ref ResponseWriter w, out bool fits)
    {
        fits = WriteSoa(zone, apexOffset, ref w);
        return Rcode.NoError;
    }

    /// <summary>The SOA in the authority section of a negative answer, with the negative TTL (RFC 2308 3).</summary>
    private static bool WriteSoa(Zone zone, int apexOffset, ref ResponseWriter w)
    {
        w.CurrentSection = ResponseWriter.Section.Authority;
        return w.TryWriteRecord(ResponseWriter.PointerTo(DnsHeader.Size + apexOffset), (ushort)RecordType.SOA, zone.NegativeTtl, zone.Soa.Rdata);
    }

    private static int WriteHeaderAndQuestion(ReadOnlySpan<byte> query, Span<byte> response, int questionEnd)
    {
        query[..questionEnd].CopyTo(response);                                               // id, and the question exactly as sent (0x20)
        BinaryPrimitives.WriteUInt16BigEndian(response[4..], questionEnd > DnsHeader.Size ? (ushort)1 : (ushort)0);
        return questionEnd;
    }

    /// <summary>An error response: the question echoed when it could be read (questionEnd > 0), no records but OPT.</summary>
    private static int Error(ReadOnlySpan<byte> query, Span<byte> response, Rcode rcode, int questionEnd, in EdnsOpt edns = default, byte extendedRcodeHigh = 0)
    {
        var header = new DnsHeader(query);
        int length = WriteHeaderAndQuestion(query, response, Math.Max(questionEnd, DnsHeader.Size));
        var writer = new ResponseWriter(response, length, response.Length);
        if (edns.Present) writer.WriteOpt(extendedRcodeHigh, edns.DnssecOk);
        writer.FinishCounts();
        ushort flags = (ushort)(DnsHeader.QrBit | (header.Opcode << 11) | (header.Flags & DnsHeader.RdBit) | (ushort)rcode);
        BinaryPrimitives.WriteUInt16BigEndian(response[2..], flags);
        return writer.Length;
    }
}
