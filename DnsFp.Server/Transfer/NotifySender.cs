using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using DnsFp.Server.Wire;
using DnsFp.Server.Zones;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DnsFp.Server.Transfer;

/// <summary>
/// NOTIFY (RFC 1996): when the serial moves, tells every Transfer:Notify secondary, so it asks for the zone at once
/// instead of at its next SOA refresh. At most one round per Transfer:NotifyInterval however often the serial moves
/// (a bulk import moves it thousands of times). Each NOTIFY is retried until the secondary answers, five tries with
/// the timeout doubling from one second (RFC 1996 3.6 leaves the numbers to us; BIND's are alike); a newer round
/// replaces a target's unanswered one. A secondary that stops or starts answering is logged once each way.
/// </summary>
internal sealed partial class NotifySender(ZoneSet zones, TransferPolicy policy, TimeProvider time, ILogger<NotifySender> logger) : BackgroundService
{
    private const int Tries = 5;
    private static readonly TimeSpan FirstTimeout = TimeSpan.FromSeconds(1);
    private const int NotifyOpcode = 4;

    private readonly SemaphoreSlim _moved = new(0, 1);
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _inFlight = new();
    private readonly ConcurrentDictionary<string, bool> _answering = new();

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        zones.SerialsChanged += Moved;
        try
        {
            long lastRound = 0;
            while (!stop.IsCancellationRequested)
            {
                await _moved.WaitAsync(stop);
                var rules = policy.Current;
                if (rules.Notify.Count == 0) continue;
                if (lastRound != 0)
                {
                    var wait = rules.NotifyInterval - time.GetElapsedTime(lastRound);
                    if (wait > TimeSpan.Zero) await Task.Delay(wait, time, stop);
                }
                lastRound = time.GetTimestamp();
                foreach (var target in rules.Notify)
                    foreach (var zone in zones.Zones)
                        Start(target, zone, rules, stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested) { }
        finally { zones.SerialsChanged -= Moved; }
    }

    private void Moved()
    {
        if (_moved.CurrentCount == 0) { try { _moved.Release(); } catch (SemaphoreFullException) { } }
    }

    private void Start(TransferRule target, Zone zone, TransferPolicy.Rules rules, CancellationToken stop)
    {
        string name = $"{target.Endpoint} {zone.Name}";
        var cancel = CancellationTokenSource.CreateLinkedTokenSource(stop);
        if (_inFlight.TryGetValue(name, out var previous)) previous.Cancel();
        _inFlight[name] = cancel;
        var key = target.KeyName is null ? null : rules.Keys[target.KeyName];
        _ = SendAsync(target.Endpoint, zone, key, name, cancel);
    }

    private async Task SendAsync(IPEndPoint target, Zone zone, TsigKey? key, string name, CancellationTokenSource cancel)
    {
        try
        {
            uint serial = zone.Serial;
            var message = Build(zone, key, out ushort id);
            using var socket = new UdpClient(target.AddressFamily);
            socket.Connect(target);
            var timeout = FirstTimeout;
            for (int attempt = 1; attempt <= Tries; attempt++)
            {
                await socket.SendAsync(message, cancel.Token);
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancel.Token);
                wait.CancelAfter(timeout);
                try
                {
                    while (true)
                    {
                        var reply = await socket.ReceiveAsync(wait.Token);
                        var b = reply.Buffer;
                        if (b.Length < DnsHeader.Size || BinaryPrimitives.ReadUInt16BigEndian(b) != id) continue;   // not ours
                        var header = new DnsHeader(b);
                        if (!header.IsResponse || header.Opcode != NotifyOpcode) continue;
                        int rcode = header.Flags & 0xF;
                        if (rcode == 0)
                        {
                            if (_answering.TryGetValue(name, out bool was) && !was) LogAnsweringAgain(logger, target, zone.Name, serial);
                            else if (!_answering.ContainsKey(name)) LogFirstAnswer(logger, target, zone.Name, serial);
                            _answering[name] = true;
                        }
                        else LogRejected(logger, target, zone.Name, rcode);
                        return;
                    }
                }
                catch (OperationCanceledException) when (!cancel.IsCancellationRequested) { }
                timeout *= 2;
            }
            if (!_answering.TryGetValue(name, out bool before) || before) LogNoAnswer(logger, target, zone.Name, serial, Tries);
            _answering[name] = false;
        }
        catch (OperationCanceledException) { }                                   // a newer round took over, or we stop
        catch (SocketException ex) { LogSendFailed(logger, target, zone.Name, ex.SocketErrorCode); }
        finally
        {
            _inFlight.TryRemove(new KeyValuePair<string, CancellationTokenSource>(name, cancel));
            cancel.Dispose();
        }
    }

    /// <summary>NOTIFY for the zone's SOA, with the SOA itself in the answer section (RFC 1996 3.7), signed when a key is set.</summary>
    private byte[] Build(Zone zone, TsigKey? key, out ushort id)
    {
        id = (ushort)RandomNumberGenerator.GetInt32(0, 65536);
        var question = new byte[zone.ApexName.Length + 4];
        zone.ApexName.CopyTo(question, 0);
        BinaryPrimitives.WriteUInt16BigEndian(question.AsSpan(zone.ApexName.Length), (ushort)RecordType.SOA);
        BinaryPrimitives.WriteUInt16BigEndian(question.AsSpan(zone.ApexName.Length + 2), RecordClass.IN);
        var signer = key is null ? null : new Tsig.Signer(key, [], id);
        var m = new TransferMessage(DnsHeader.Size + question.Length + 14 + zone.SoaRdata.Length + (signer?.Size ?? 0));
        m.Start(id, (ushort)(NotifyOpcode << 11 | DnsHeader.AaBit), question);
        m.TryAdd([], (ushort)RecordType.SOA, zone.Soa.Ttl, zone.SoaRdata);
        m.Finish();
        int length = signer is null ? m.Length : signer.Sign(m.Buffer, m.Length, time.GetUtcNow());
        return m.Buffer[..length].ToArray();
    }

    [LoggerMessage(920, LogLevel.Information, "NOTIFY of {Zone} serial {Serial} answered by {Target}")]
    private static partial void LogFirstAnswer(ILogger logger, IPEndPoint target, string zone, uint serial);

    [LoggerMessage(921, LogLevel.Information, "NOTIFY of {Zone} serial {Serial}: {Target} answers again")]
    private static partial void LogAnsweringAgain(ILogger logger, IPEndPoint target, string zone, uint serial);

    [LoggerMessage(922, LogLevel.Warning, "NOTIFY of {Zone} serial {Serial}: no answer from {Target} after {Tries} tries; it will see the change at its next SOA refresh")]
    private static partial void LogNoAnswer(ILogger logger, IPEndPoint target, string zone, uint serial, int tries);

    [LoggerMessage(923, LogLevel.Warning, "NOTIFY of {Zone}: {Target} answered rcode {Rcode} (REFUSED 5, NOTAUTH 9: check its allow-notify and key)")]
    private static partial void LogRejected(ILogger logger, IPEndPoint target, string zone, int rcode);

    [LoggerMessage(924, LogLevel.Warning, "NOTIFY of {Zone} to {Target} could not be sent: {Error}")]
    private static partial void LogSendFailed(ILogger logger, IPEndPoint target, string zone, SocketError error);
}
