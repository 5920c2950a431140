using System.Net.Sockets;
using DnsFp.Agent.Fingerprints;
using DnsFp.Agent.Fingerprints.Packets;
using DnsFp.Agent.Spool;
using DnsFp.Contract;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DnsFp.Agent.Sources.Capture;

/// <summary>
/// The agent's own SYN fingerprinting, live: SYNs arriving on an interface for the mail ports are matched against
/// pf.os or p0f.fp and become observations (label "Unknown" when no signature fits), spooled in batches. Linux
/// only (packet socket); needs CAP_NET_RAW. Retransmitted SYNs (same address, port and sequence) count once.
/// </summary>
internal sealed partial class CaptureSource(string interfaceName, IReadOnlySet<int> ports, ISignatureDatabase database, FactSpool spool,
    TimeProvider time, ILogger<CaptureSource> logger) : BackgroundService
{
    private static readonly TimeSpan FlushEvery = TimeSpan.FromMilliseconds(200);
    // How often the log says what the source saw, so an operator can tell a quiet interface from a broken one.
    private static readonly TimeSpan ReportEvery = TimeSpan.FromMinutes(10);
    // Observations waiting for a full spool, at most; a client seen again is observed again, so memory stays bounded.
    private const int MaxPending = 100_000;

    protected override Task ExecuteAsync(CancellationToken stop) =>
        Task.Factory.StartNew(() => Run(stop), stop, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Run(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                using var socket = new SynSocket(interfaceName, TimeSpan.FromMilliseconds(250));
                LogCapturing(logger, interfaceName, string.Join(",", ports.Order()), database.Path, database.Kind, database.SignatureCount);
                Capture(socket, stop);
            }
            catch (Exception e) when (e is SocketException or IOException or UnauthorizedAccessException)
            {
                LogCannotCapture(logger, interfaceName, e.Message);
                stop.WaitHandle.WaitOne(TimeSpan.FromSeconds(30));
            }
        }
    }

    private void Capture(SynSocket socket, CancellationToken stop)
    {
        var buffer = new byte[65536];
        var pending = new List<Fact>();
        var retransmitted = new RetransmittedSyns();
        long lastFlush = time.GetTimestamp(), lastReport = lastFlush;
        int observed = 0, unknown = 0;
        while (!stop.IsCancellationRequested)
        {
            int length = socket.Receive(buffer);
            if (length > 0 && TcpSynParser.Parse(buffer.AsSpan(0, length), out var syn) == PacketKind.Syn
                && (syn!.TcpFlags & TcpSyn.Ack) == 0 && ports.Contains(syn.DestinationPort)
                && !retransmitted.IsRetransmission(syn)
                && database.Fingerprint(syn) is { } fingerprint)
            {
                long now = time.GetUtcNow().ToUnixTimeSeconds();
                // a SYN no signature names is labelled by its stack's signature key, in class Unknown (DnsFp.Contract/SynSignature.cs)
                // every SYN is labelled by its name and its stack's signature key; one no signature names, "unnamed [key]" in class Unknown
                string? key = Fingerprints.P0fFp.P0fRawSignature.KeyOf(syn);
                string name = fingerprint.Matched ? fingerprint.Label : SynSignature.Unnamed;
                string label = key is null ? (fingerprint.Matched ? fingerprint.Label : OsLabel.Unknown) : SynSignature.Label(name, key);
                observed++;
                if (!fingerprint.Matched) unknown++;
                pending.Add(Fact.Observation(Fact.MakeId("capture", syn.Source.ToString(), syn.SourcePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    syn.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture)), syn.Source, label, now, ObservationSources.Capture,
                    fingerprint.Matched ? OsLabel.ClassOf(fingerprint.Label) : OsLabel.Unknown));
            }
            if (time.GetElapsedTime(lastFlush) >= FlushEvery || pending.Count >= 1000)
            {
                // A full spool (Redis away for long) holds the SYNs back; the socket buffer absorbs a little, the rest is dropped by the kernel.
                if (pending.Count > 0 && spool.TryAppend(pending)) pending.Clear();
                else if (pending.Count > MaxPending) { LogSpoolFull(logger, pending.Count); pending.Clear(); }
                lastFlush = time.GetTimestamp();
            }
            if (time.GetElapsedTime(lastReport) >= ReportEvery)
            {
                LogReport(logger, observed, unknown, interfaceName, (int)ReportEvery.TotalMinutes);
                observed = unknown = 0;
                lastReport = time.GetTimestamp();
            }
        }
        if (pending.Count > 0) spool.TryAppend(pending);
    }

    [LoggerMessage(900, LogLevel.Information, "capture source: SYNs on {Interface} to port(s) {Ports}, fingerprinted with {Database} ({Kind}, {Signatures} signatures)")]
    private static partial void LogCapturing(ILogger logger, string @interface, string ports, string database, string kind, int signatures);

    [LoggerMessage(903, LogLevel.Information, "capture source: {Observed} SYNs fingerprinted on {Interface} in the last {Minutes} min ({Unknown} matched no signature)")]
    private static partial void LogReport(ILogger logger, int observed, int unknown, string @interface, int minutes);

    [LoggerMessage(902, LogLevel.Warning, "capture source: the spool is full; {Count} observations were not kept (they come back with the clients' next SYNs)")]
    private static partial void LogSpoolFull(ILogger logger, int count);

    [LoggerMessage(901, LogLevel.Error, "capture source: cannot capture on {Interface}: {Reason} (it needs Linux and CAP_NET_RAW: AmbientCapabilities=CAP_NET_RAW in the unit); retrying in 30 s")]
    private static partial void LogCannotCapture(ILogger logger, string @interface, string reason);
}
