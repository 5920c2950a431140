using System.Buffers.Binary;
using DnsFp.Contract;
using DnsFp.Server.Access;
using DnsFp.Server.Bands;
using DnsFp.Server.Cookies;
using DnsFp.Server.Identity;
using DnsFp.Server.Index;
using DnsFp.Server.Metrics;
using DnsFp.Server.RateLimit;
using DnsFp.Server.Transfer;
using DnsFp.Server.Wire;
using DnsFp.Server.Zones;

namespace DnsFp.Server.Engine;

/// <summary>
/// Query bytes in, response bytes out: every transport (UDP, TCP, tests, benchmarks) calls this one method. It has no
/// sockets, no Redis and no await, allocates nothing, takes no lock and never throws on input: a packet it cannot
/// read as a query gets FORMERR when a header can be read, otherwise nothing. The DNS contract it implements is in
/// README.md beside this file (and DESIGN.md). The policies on the way (query ACL, cookies, rate limiting, identity)
/// are each built and registered in their own folder; here is only the order in which they apply.
/// </summary>
internal sealed class AnswerEngine(ZoneSet zones, IndexHolder index, QueryAcl acl, RateLimitFeature rateLimit, CookieFeature cookies, ServerIdentity identity, QueryCounters counters, QuerySigner? signer = null)
{
    public enum Transport { Udp, Tcp }

    public const int MaxUdpWithoutEdns = 512;
    public const int MaxTcp = 65535;

    private static readonly ushort QuestionName = ResponseWriter.PointerTo(DnsHeader.Size);
    private const int NotifyOpcode = 4;

    private readonly ResponseRateLimiter? _limiter = rateLimit.Limiter;
    private readonly ServerCookies? _cookies = cookies.Cookies;

    /// <summary>An engine with no ACL, no rate limiting, no cookies and no identity (tests, benchmarks).</summary>
    public AnswerEngine(ZoneSet zones, IndexHolder index)
        : this(zones, index, new QueryAcl(), new RateLimitFeature(null), new CookieFeature(null), new ServerIdentity(new IdentityOptions()), new QueryCounters()) { }

    /// <summary>What this engine answered, for the metrics (Metrics/).</summary>
    public QueryCounters Counters => counters;

    /// <summary>Answers as if asked from 127.0.0.1 over <paramref name="transport"/> (tests, benchmarks).</summary>
    public int Answer(ReadOnlySpan<byte> query, Span<byte> response, Transport transport) => Answer(query, response, Client.Loopback(transport));

    /// <summary>Writes the response for <paramref name="query"/> from <paramref name="client"/> into <paramref name="response"/> and returns its length; 0 means drop.</summary>
    public int Answer(ReadOnlySpan<byte> query, Span<byte> response, in Client client)
    {
        int length = AnswerUnsigned(query, response, client, out bool signed);
        if (length == 0) { counters.Unanswered(client.Transport); return 0; }
        // a TSIG-signed query (a secondary's SOA check) gets a signed answer, or NOTAUTH (RFC 8945 5.3); only those allocate
        return signed && signer is not null ? signer.Sign(query, response, length) : length;
    }

    private int AnswerUnsigned(ReadOnlySpan<byte> query, Span<byte> response, in Client client, out bool signed)
    {
        signed = false;
        if (query.Length < DnsHeader.Size || response.Length < MaxUdpWithoutEdns) return 0;   // no id to answer to
        var header = new DnsHeader(query);
        if (header.IsResponse) return 0;                                                     // never answer answers
        var access = acl.Decide(client);
        if (access == QueryAcl.Decision.Drop) return 0;

        Question q = default;
        bool hasQuestion = header.QuestionCount == 1 && Question.TryRead(query, out q);
        if (header.QuestionCount > 1) Question.TryRead(query, out q);      // FORMERR, but echoing the first question and OPT
        int echoEnd = q.End > 0 ? q.End : DnsHeader.Size;                   // what error responses echo
        // OPT is looked for wherever the records after the questions can be found, so errors carry OPT too (RFC 6891 7)
        int recordsStart = echoEnd;
        EdnsOpt edns = default;
        var ednsResult = header.QuestionCount == 0 || (q.End > 0 && MessageSkipper.SkipQuestions(query, ref recordsStart, header.QuestionCount - 1))
            ? EdnsOpt.TryRead(query, recordsStart, header.AnswerCount + header.AuthorityCount, header.AdditionalCount, out edns)
            : EdnsOpt.ReadResult.Malformed;
        if (ednsResult == EdnsOpt.ReadResult.Malformed) edns = default;
        signed = edns.HasTsig;
        var reply = new Reply(client, edns, echoEnd, Valid: false);
        if (edns.HasCookie && _cookies is not null && ednsResult == EdnsOpt.ReadResult.Ok)
            reply = reply with { Valid = _cookies.IsValid(query.Slice(edns.CookieOffset, edns.CookieLength), client) };

        if (access == QueryAcl.Decision.Refuse) return Error(query, response, Rcode.Refused, reply);
        // NOTIFY: we are nobody's secondary (REFUSED, as NSD); other opcodes are not implemented
        if (header.Opcode != 0) return Error(query, response, header.Opcode == NotifyOpcode ? Rcode.Refused : Rcode.NotImp, reply);
        if (ednsResult == EdnsOpt.ReadResult.Malformed) return Error(query, response, Rcode.FormErr, reply with { QuestionEnd = DnsHeader.Size });
        if (ednsResult == EdnsOpt.ReadResult.BadOptions) return Error(query, response, Rcode.FormErr, reply);
        if (header.QuestionCount == 0)
        {
            // RFC 7873 5.4: a query with no question and a COOKIE option asks for a server cookie
            bool cookieOnly = edns.HasCookie && _cookies is not null && header.AnswerCount + header.AuthorityCount == 0;
            return Error(query, response, cookieOnly ? Rcode.NoError : Rcode.FormErr, reply);
        }
        if (!hasQuestion) return Error(query, response, Rcode.FormErr, reply);
        if (edns.Present && edns.Version != 0) return Error(query, response, Rcode.NoError, reply, extendedRcodeHigh: 1);  // BADVERS, RFC 6891 6.1.3
        // no transfers yet: REFUSED (an IXFR query carries a SOA), and AXFR over UDP does not exist (NOTIMP, as NSD and Knot)
        if (q.Type == (ushort)RecordType.AXFR && client.Transport == Transport.Udp) return Error(query, response, Rcode.NotImp, reply);
        if (q.Type is (ushort)RecordType.AXFR or (ushort)RecordType.IXFR) return Error(query, response, Rcode.Refused, reply);
        if (header.AnswerCount != 0 || header.AuthorityCount != 0) return Error(query, response, Rcode.FormErr, reply);
        if (q.Class == RecordClass.CH) return AnswerChaos(query, response, q, header.Flags, reply);
        if (q.Class is not (RecordClass.IN or RecordClass.ANY)) return Error(query, response, Rcode.Refused, reply);
        if (!zones.TryMatch(q.Name, out var zone, out int apexOffset, out int labelsBefore))
            return Error(query, response, Rcode.Refused, reply);                            // not ours: no recursion, ever

        int limit = client.Transport == Transport.Tcp ? MaxTcp
            : edns.Present ? Math.Clamp((int)edns.PayloadSize, MaxUdpWithoutEdns, EdnsOpt.OurPayloadSize) : MaxUdpWithoutEdns;
        limit = Math.Min(limit, response.Length) - OptSize(reply);

        int length = WriteHeaderAndQuestion(query, response, q.End);
        var writer = new ResponseWriter(response, length, limit);
        var rcode = AnswerInZone(zone, apexOffset, labelsBefore, q, ref writer, out bool fits, out uint band);
        ushort flags = (ushort)(DnsHeader.QrBit | DnsHeader.AaBit | (header.Flags & (DnsHeader.RdBit | DnsHeader.CdBit)) | (ushort)rcode);
        var kind = rcode == Rcode.NxDomain ? ResponseKind.NxDomain : writer.AnswerCount > 0 ? ResponseKind.Answer : ResponseKind.NoData;
        if (!fits)
        {
            writer.Reset(length);                                                            // RFC 2181 9: drop the partial set, set TC
            flags |= DnsHeader.TcBit;
        }
        // NXDOMAIN is accounted per zone, the rest per name (RateLimit/README.md)
        var key = kind == ResponseKind.NxDomain ? q.Name[apexOffset..] : q.Name;
        return Finish(query, response, ref writer, flags, reply, kind, key, q.Type, band: fits ? band : 0);
    }

    /// <summary>What every response needs from the query: who asked, the OPT to answer with, whether their cookie is valid.</summary>
    private readonly record struct Reply(Client Client, EdnsOpt Edns, int QuestionEnd, bool Valid);

    private int OptSize(in Reply reply) => reply.Edns.Present
        ? ResponseWriter.OptSize(reply.Edns.NsidRequested ? identity.Nsid.Length : 0, reply.Edns.HasCookie && _cookies is not null ? ServerCookies.OptionLength : 0)
        : 0;

    /// <summary>Rate limiting decides whether the response goes out whole, truncated (slip) or not at all; then OPT and counts are written.</summary>
    private int Finish(ReadOnlySpan<byte> query, Span<byte> response, ref ResponseWriter writer, ushort flags, in Reply reply, ResponseKind kind, ReadOnlySpan<byte> key, ushort type, byte extendedRcodeHigh = 0, uint band = 0)
    {
        if (_limiter is not null && !reply.Valid)
        {
            switch (_limiter.Check(reply.Client, kind, key, type))
            {
                case ResponseRateLimiter.Verdict.Drop:
                    counters.RateLimited(slipped: false);
                    return 0;
                case ResponseRateLimiter.Verdict.Slip:
                    counters.RateLimited(slipped: true);
                    writer.Reset(reply.QuestionEnd);                                         // the minimal answer: question, TC, OPT
                    flags |= DnsHeader.TcBit;
                    band = 0;
                    break;
            }
        }
        // errors pass no type to the limiter (RateLimit/README.md), but are counted by the type they asked for
        if (type == 0 && reply.QuestionEnd >= DnsHeader.Size + 5) type = BinaryPrimitives.ReadUInt16BigEndian(query[(reply.QuestionEnd - 4)..]);
        counters.Responded(reply.Client.Transport, (extendedRcodeHigh << 4) | (flags & 0xF), type);
        if (band != 0) counters.Answered(band);
        if (reply.Edns.Present) WriteOpt(query, ref writer, reply, extendedRcodeHigh);
        writer.FinishCounts();
        BinaryPrimitives.WriteUInt16BigEndian(response[2..], flags);
        return writer.Length;
    }

    private void WriteOpt(ReadOnlySpan<byte> query, ref ResponseWriter writer, in Reply reply, byte extendedRcodeHigh)
    {
        var nsid = reply.Edns.NsidRequested ? identity.Nsid : default;
        Span<byte> cookie = stackalloc byte[ServerCookies.OptionLength];
        if (reply.Edns.HasCookie && _cookies is not null) _cookies.Write(query.Slice(reply.Edns.CookieOffset, ServerCookies.ClientCookieLength), reply.Client, cookie);
        else cookie = default;
        writer.WriteOpt(extendedRcodeHigh, reply.Edns.DnssecOk, nsid, cookie);
    }

    /// <summary>Writes the answer within the zone; <paramref name="band"/> is the listing's band when one was answered, else 0.</summary>
    private Rcode AnswerInZone(Zone zone, int apexOffset, int labelsBefore, in Question q, ref ResponseWriter w, out bool fits, out uint band)
    {
        fits = true;
        band = 0;
        var relative = q.Name[..apexOffset];
        if (labelsBefore == 0 || zone.HasStaticName(relative)) return AnswerStatic(zone, relative, apexOffset, q.Type, ref w, out fits);
        if (zone.IsEmptyNonTerminal(relative)) return NoData(zone, apexOffset, ref w, out fits);

        ListingAnswer? listing;
        var kind = ReversedName.Read(relative, labelsBefore, out uint v4, out UInt128 v6);
        switch (kind)
        {
            case ReversedName.Kind.Partial:
                return NoData(zone, apexOffset, ref w, out fits);                             // QNAME minimisation: never NXDOMAIN
            case ReversedName.Kind.IPv4:
            case ReversedName.Kind.IPv4AlsoNibblePrefix:
                listing = v4 switch
                {
                    BandTable.TestEntry => LabelTable.TestEntry,
                    BandTable.NeverListed => null,
                    _ => Lookup(index.Addresses.TryGet(v4, out int record) && index.Policy.IsListed(v4, record), record),
                };
                // RFC 8020: "1.0.0.2" is also the top of IPv6 names (2001:…): not listed as IPv4, it is an empty non-terminal
                if (listing is null && kind == ReversedName.Kind.IPv4AlsoNibblePrefix) return NoData(zone, apexOffset, ref w, out fits);
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
        if (q.Type is (ushort)RecordType.A or (ushort)RecordType.TXT or (ushort)RecordType.ANY) band = listing.Band;
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
            if (!w.TryWriteRecord(QuestionName, r.Type, r.Ttl, r.Type == (ushort)RecordType.SOA ? zone.SoaRdata : r.Rdata)) { fits = false; return Rcode.NoError; }
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
        return w.TryWriteRecord(ResponseWriter.PointerTo(DnsHeader.Size + apexOffset), (ushort)RecordType.SOA, zone.NegativeTtl, zone.SoaRdata);
    }

    /// <summary>CHAOS TXT id.server / hostname.bind: the configured Server:Identity; anything else in CHAOS is REFUSED.</summary>
    private int AnswerChaos(ReadOnlySpan<byte> query, Span<byte> response, in Question q, ushort queryFlags, in Reply reply)
    {
        if (identity.IdentityTxt.Length == 0 || !ServerIdentity.IsChaosIdentityName(q.Name)) return Error(query, response, Rcode.Refused, reply);
        int length = WriteHeaderAndQuestion(query, response, q.End);
        var writer = new ResponseWriter(response, length, MaxUdpWithoutEdns - OptSize(reply));
        if (q.Type is (ushort)RecordType.TXT or (ushort)RecordType.ANY)
            writer.TryWriteRecord(QuestionName, (ushort)RecordType.TXT, 0, identity.IdentityTxt, RecordClass.CH);
        ushort flags = (ushort)(DnsHeader.QrBit | DnsHeader.AaBit | (queryFlags & DnsHeader.RdBit));
        return Finish(query, response, ref writer, flags, reply, writer.AnswerCount > 0 ? ResponseKind.Answer : ResponseKind.NoData, q.Name, q.Type);
    }

    private static int WriteHeaderAndQuestion(ReadOnlySpan<byte> query, Span<byte> response, int questionEnd)
    {
        query[..questionEnd].CopyTo(response);                                               // id, and the question exactly as sent (0x20)
        BinaryPrimitives.WriteUInt16BigEndian(response[4..], questionEnd > DnsHeader.Size ? (ushort)1 : (ushort)0);
        return questionEnd;
    }

    /// <summary>An error response: the question echoed when it could be read, no records but OPT (when the query's could be read).</summary>
    private int Error(ReadOnlySpan<byte> query, Span<byte> response, Rcode rcode, in Reply reply, byte extendedRcodeHigh = 0)
    {
        var header = new DnsHeader(query);
        int length = WriteHeaderAndQuestion(query, response, reply.QuestionEnd);
        var writer = new ResponseWriter(response, length, response.Length);
        ushort flags = (ushort)(DnsHeader.QrBit | (header.Opcode << 11) | (header.Flags & DnsHeader.RdBit) | (ushort)rcode);
        return Finish(query, response, ref writer, flags, reply, rcode == Rcode.NoError && extendedRcodeHigh == 0 ? ResponseKind.NoData : ResponseKind.Error, default, 0, extendedRcodeHigh);
    }
}
