using DnsFp.Agent.Spool;
using DnsFp.Contract;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace DnsFp.Agent.Writer;

/// <summary>
/// Sends the spool to Redis in order, in pipelined batches, and moves the spool's "sent" position after each batch
/// Redis acknowledged. While Redis is unreachable the facts wait in the spool (logged once), and are replayed in
/// order when it is back. At-least-once: a batch interrupted mid-way is sent again, and the server folds each fact
/// id once.
/// </summary>
internal sealed partial class SpoolDrainer(FactSpool spool, IConnectionMultiplexer redis, Metrics.AgentMetrics metrics, TimeProvider time, ILogger<SpoolDrainer> logger) : BackgroundService
{
    private const int BatchFacts = 2000;
    private volatile bool _down;
    private long _waitingSince;           // when the drainer first found the spool's head unsent; 0: nothing waiting

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        metrics.ObserveSpool(() => spool.PendingBytes, () => !_down && redis.IsConnected,
            () => Interlocked.Read(ref _waitingSince) is var since && since != 0 ? time.GetElapsedTime(since).TotalSeconds : 0);
        var writer = new RedisFactWriter(redis);
        while (!stop.IsCancellationRequested)
        {
            var (facts, next) = spool.ReadUnsent(BatchFacts);
            if (facts.Count == 0)
            {
                Interlocked.Exchange(ref _waitingSince, 0);
                try { await spool.WaitForAppendAsync(TimeSpan.FromMilliseconds(200), stop); } catch (OperationCanceledException) { return; }
                continue;
            }
            if (Interlocked.Read(ref _waitingSince) == 0) Interlocked.Exchange(ref _waitingSince, time.GetTimestamp());
            try
            {
                await writer.WriteAsync(facts);
                spool.MarkSent(next);
                metrics.Sent(facts.Count);
                Interlocked.Exchange(ref _waitingSince, time.GetTimestamp());     // the next batch, if any, waits from now
                if (_down) { _down = false; LogBack(logger, spool.PendingBytes); }
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                if (!_down) LogDown(logger, RedisConnection.Describe(redis.Configuration), ex.Message, spool.PendingBytes);
                _down = true;
                try { await Task.Delay(TimeSpan.FromSeconds(1), time, stop); } catch (OperationCanceledException) { return; }
            }
        }
    }

    [LoggerMessage(700, LogLevel.Warning, "Redis {Endpoint} did not take the facts ({Reason}); they are kept in the spool ({Pending} bytes waiting) and sent when it is back")]
    private static partial void LogDown(ILogger logger, string endpoint, string reason, long pending);

    [LoggerMessage(701, LogLevel.Information, "Redis is back; replaying the spool in order ({Pending} bytes left)")]
    private static partial void LogBack(ILogger logger, long pending);
}
