using System.Buffers.Binary;
using System.Diagnostics;
using System.Net.Sockets;
using DnsFp.Server.Engine;
using DnsFp.Server.Index;
using DnsFp.Server.Wire;
using DnsFp.Server.Zones;
using Microsoft.Extensions.Logging;

namespace DnsFp.Server.Transfer;

/// <summary>
/// AXFR (RFC 5936) and IXFR (RFC 1995) over TCP for the secondaries Transfer:Allow names. The TCP listener offers
/// every query here first; anything that is not a transfer of one of our zones, or any transfer when no one is
/// allowed, goes on to the answer engine (which REFUSES transfers). Order of checks, as BIND and NSD: the TSIG
/// signature first (a bad or unknown key is NOTAUTH with the TSIG error, RFC 8945 5.2), then the address and key
/// rules (REFUSED), then the data (SERVFAIL until the index was loaded once, so a secondary never takes an empty
/// zone for the real one). IXFR answers one SOA when the secondary is current, the differences when this server
/// sent the secondary's serial (TransferHistory) and they are smaller than half the zone, else the whole zone in AXFR
/// form, which RFC 1995 4 allows.
/// </summary>
internal sealed partial class TransferResponder(ZoneSet zones, IndexHolder index, TransferPolicy policy, TransferHistory history, TimeProvider time, ILogger<TransferResponder> logger)
{
    private const ushort NotAuth = 9, ServFail = 2, Refused = 5, FormErr = 1;

    private readonly record struct Request(Zone Zone, ushort Type, byte[] Question, ushort Id, uint? ClientSerial);

    /// <summary>Serves <paramref name="query"/> when it asks for a transfer; false when the answer engine should answer it.</summary>
    public async Task<bool> TryServeAsync(ReadOnlyMemory<byte> query, Client client, Socket socket, Action keepAlive, CancellationToken token)
    {
        var rules = policy.Current;
        if (rules.Allow.Count == 0 || Parse(query.Span) is not { } request) return false;

        var check = Tsig.Verify(query.Span, rules.Keys, time.GetUtcNow());
        string who = client.ToString();
        switch (check.Outcome)
        {
            case Tsig.Outcome.Malformed:
                await SendErrorAsync(socket, request, FormErr, null, token);
                return true;
            case Tsig.Outcome.UnknownKey or Tsig.Outcome.BadSignature:
                LogBadTsig(logger, TypeName(request.Type), request.Zone.Name, who, check.KeyName, check.Outcome == Tsig.Outcome.UnknownKey ? "unknown key or algorithm (BADKEY)" : "signature does not verify (BADSIG)");
                await SendErrorAsync(socket, request, NotAuth, m => Tsig.AppendError(m.Buffer, m.Length, check, Tsig.ErrorOf(check.Outcome)), token, Tsig.ErrorSize(check));
                return true;
            case Tsig.Outcome.BadTime:
                {
                    LogBadTsig(logger, TypeName(request.Type), request.Zone.Name, who, check.KeyName, "time signed is outside the fudge of this server's clock (BADTIME)");
                    var signer = new Tsig.Signer(check.Key!, check.RequestMac, check.OriginalId);
                    var now = new byte[6];
                    ulong seconds = (ulong)time.GetUtcNow().ToUnixTimeSeconds();
                    BinaryPrimitives.WriteUInt16BigEndian(now, (ushort)(seconds >> 32));
                    BinaryPrimitives.WriteUInt32BigEndian(now.AsSpan(2), (uint)seconds);
                    await SendErrorAsync(socket, request, NotAuth, m => signer.Sign(m.Buffer, m.Length, time.GetUtcNow(), Tsig.BadTime, now), token, signer.Size + 6);
                    return true;
                }
        }
        var key = check.Outcome == Tsig.Outcome.Valid ? check.Key : null;
        var sign = key is null ? null : new Tsig.Signer(key, check.RequestMac, check.OriginalId);
        Func<TransferMessage, int>? signError = sign is null ? null : m => sign.Sign(m.Buffer, m.Length, time.GetUtcNow());
        if (!rules.Allows(client, key))
        {
            LogRefused(logger, TypeName(request.Type), request.Zone.Name, who, key?.Name ?? "no key");
            await SendErrorAsync(socket, request, Refused, signError, token, sign?.Size ?? 0);
            return true;
        }

        var current = ZoneSnapshot.Take(request.Zone, index);
        if (current is null)
        {
            LogNotReady(logger, TypeName(request.Type), request.Zone.Name, who);
            await SendErrorAsync(socket, request, ServFail, signError, token, sign?.Size ?? 0);
            return true;
        }

        var started = Stopwatch.GetTimestamp();
        var message = new TransferMessage(rules.MessageSize + (sign?.Size ?? 0)) { Limit = rules.MessageSize };
        ushort flags = (ushort)(DnsHeader.QrBit | DnsHeader.AaBit);
        if (request.Type == (ushort)RecordType.IXFR && request.ClientSerial is { } theirs)
        {
            if (!ZoneSerial.IsNewer(current.Serial, theirs))
            {
                // current already (RFC 1995 4): the SOA alone
                message.Start(request.Id, flags, request.Question);
                message.TryAdd([], (ushort)RecordType.SOA, request.Zone.Soa.Ttl, current.SoaRdata);
                await SendAsync(socket, message, sign, token);
                LogUpToDate(logger, request.Zone.Name, who, theirs);
                return true;
            }
            // the differences, when this server sent that serial and they are smaller than the zone
            if (history.Find(request.Zone, theirs) is { } sent)
            {
                var difference = new ZoneDifference(sent, current);
                long changed = difference.CountChanged();
                if (changed * 2 <= index.Addresses.Count)
                {
                    int sentMessages = await StreamAsync(socket, request, message, flags, sign, difference.Fill, keepAlive, token);
                    history.Remember(current);
                    LogIncremental(logger, request.Zone.Name, theirs, current.Serial, who, key?.Name ?? "no key", difference.Deleted, difference.Added, sentMessages, Stopwatch.GetElapsedTime(started).TotalSeconds);
                    return true;
                }
            }
        }
        var content = new ZoneContent(current);
        int messages = await StreamAsync(socket, request, message, flags, sign, content.Fill, keepAlive, token);
        history.Remember(current);
        LogTransferred(logger, TypeName(request.Type), request.Zone.Name, content.Serial, who, key?.Name ?? "no key", content.Listings, messages, Stopwatch.GetElapsedTime(started).TotalSeconds);
        return true;
    }

    /// <summary>Sends messages filled by <paramref name="fill"/> until it says the transfer is complete; returns how many.</summary>
    private async Task<int> StreamAsync(Socket socket, Request request, TransferMessage message, ushort flags, Tsig.Signer? sign, Func<TransferMessage, bool> fill, Action keepAlive, CancellationToken token)
    {
        int messages = 0;
        bool more;
        do
        {
            message.Start(request.Id, flags, request.Question);
            more = fill(message);
            if (more && message.IsEmpty) throw new InvalidOperationException($"a record of {request.Zone.Name} does not fit in Transfer:MessageSize {message.Limit}");
            await SendAsync(socket, message, sign, token);
            keepAlive();
            messages++;
        }
        while (more);
        return messages;
    }

    private async Task SendAsync(Socket socket, TransferMessage message, Tsig.Signer? sign, CancellationToken token)
    {
        message.Finish();
        int length = sign is null ? message.Length : sign.Sign(message.Buffer, message.Length, time.GetUtcNow());
        await socket.SendAsync(message.Framed(length), SocketFlags.None, token);     // one send: no Nagle wait between prefix and body
    }

    private static async Task SendErrorAsync(Socket socket, Request request, ushort rcode, Func<TransferMessage, int>? addTsig, CancellationToken token, int tsigSize = 0)
    {
        var m = new TransferMessage(DnsHeader.Size + request.Question.Length + tsigSize);
        m.Start(request.Id, (ushort)(DnsHeader.QrBit | rcode), request.Question);
        m.Finish();
        int length = addTsig is null ? m.Length : addTsig(m);
        await socket.SendAsync(m.Framed(length), SocketFlags.None, token);
    }

    /// <summary>An AXFR or IXFR (class IN) for the apex of one of our zones, with the secondary's serial for IXFR; else null.</summary>
    private Request? Parse(ReadOnlySpan<byte> query)
    {
        if (query.Length < DnsHeader.Size) return null;
        var header = new DnsHeader(query);
        if (header.IsResponse || header.Opcode != 0 || header.QuestionCount != 1 || !Question.TryRead(query, out var q)) return null;
        if (q.Type is not ((ushort)RecordType.AXFR or (ushort)RecordType.IXFR) || q.Class != RecordClass.IN) return null;
        Zone? zone = null;
        foreach (var z in zones.Zones) if (WireName.EqualsIgnoreCase(z.ApexName, q.Name)) zone = z;
        if (zone is null) return null;
        uint? serial = null;
        if (q.Type == (ushort)RecordType.IXFR && header.AuthorityCount > 0) serial = ReadSoaSerial(query, q.End);
        return new Request(zone, q.Type, query[DnsHeader.Size..q.End].ToArray(), BinaryPrimitives.ReadUInt16BigEndian(query), serial);
    }

    /// <summary>The serial of the SOA an IXFR query carries in its authority section (RFC 1995 3).</summary>
    private static uint? ReadSoaSerial(ReadOnlySpan<byte> m, int pos)
    {
        if (!MessageSkipper.SkipRecord(m, ref pos, out _, out ushort type, out _, out _, out int rd) || type != (ushort)RecordType.SOA) return null;
        int end = pos;
        if (!MessageSkipper.SkipName(m, ref rd, out _) || !MessageSkipper.SkipName(m, ref rd, out _) || rd + 4 > end) return null;
        return BinaryPrimitives.ReadUInt32BigEndian(m[rd..]);
    }

    private static string TypeName(ushort type) => type == (ushort)RecordType.AXFR ? "AXFR" : "IXFR";

    [LoggerMessage(910, LogLevel.Information, "{Type} of {Zone} serial {Serial} to {Client} ({Key}): {Listings} listings in {Messages} messages, {Seconds:F2} s")]
    private static partial void LogTransferred(ILogger logger, string type, string zone, uint serial, string client, string key, long listings, int messages, double seconds);

    [LoggerMessage(911, LogLevel.Warning, "{Type} of {Zone} from {Client} refused ({Key}): no Transfer:Allow rule matches this address and key")]
    private static partial void LogRefused(ILogger logger, string type, string zone, string client, string key);

    [LoggerMessage(912, LogLevel.Warning, "{Type} of {Zone} from {Client} refused: TSIG key '{Key}': {Problem}")]
    private static partial void LogBadTsig(ILogger logger, string type, string zone, string client, string key, string problem);

    [LoggerMessage(913, LogLevel.Warning, "{Type} of {Zone} from {Client}: SERVFAIL, the index has not been loaded from Redis yet")]
    private static partial void LogNotReady(ILogger logger, string type, string zone, string client);

    [LoggerMessage(915, LogLevel.Information, "IXFR of {Zone} serial {From} → {To} to {Client} ({Key}): {Deleted} listings out, {Added} in, {Messages} messages, {Seconds:F2} s")]
    private static partial void LogIncremental(ILogger logger, string zone, uint from, uint to, string client, string key, long deleted, long added, int messages, double seconds);

    [LoggerMessage(914, LogLevel.Debug, "IXFR of {Zone} from {Client}: already at serial {Serial}")]
    private static partial void LogUpToDate(ILogger logger, string zone, string client, uint serial);
}
