using DnsFp.Contract;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;

namespace DnsFp.Server.Metrics;

/// <summary>
/// Every few seconds: PING Redis and read the fact streams' lengths (the fold backlog: the fold deletes what it
/// folded), so scrapes and page views read numbers and never wait on Redis themselves.
/// </summary>
internal sealed class RedisHealthProbe(IConnectionMultiplexer redis, ServerHealth health, TimeProvider time) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);
    private static readonly RedisKey[] Streams = [.. RedisKeys.AllFacts.Select(s => (RedisKey)s)];

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                var db = redis.GetDatabase();
                health.RedisRoundTripSeconds = (await db.PingAsync()).TotalSeconds;
                var lengths = await Task.WhenAll(Streams.Select(s => db.StreamLengthAsync(s)));
                health.FoldBacklog = lengths.Sum();
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                health.RedisRoundTripSeconds = -1;            // the follower and the folder say what went wrong, once
            }
        }
        while (await Wait(timer, stop));
    }

    private static async Task<bool> Wait(PeriodicTimer timer, CancellationToken stop)
    {
        try { return await timer.WaitForNextTickAsync(stop); }
        catch (OperationCanceledException) { return false; }
    }
}
