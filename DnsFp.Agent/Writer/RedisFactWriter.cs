using DnsFp.Contract;
using StackExchange.Redis;

namespace DnsFp.Agent.Writer;

/// <summary>
/// Appends facts to the facts stream with XADD only, which is all the agents' Redis user may do
/// (deploy/redis/users.acl): up to <see cref="FactStreamEntry.MaxFacts"/> facts per entry, several entries in flight
/// at once. The server folds each fact once by its id, so writing a batch again after an error is safe.
/// </summary>
internal sealed class RedisFactWriter(IConnectionMultiplexer redis)
{
    /// <summary>This agent's host name as facts carry it, so operators can see which hosts run which sources.</summary>
    private static readonly string Host = Environment.MachineName;

    /// <summary>Batch entries sent before the writer waits for Redis to confirm the oldest.</summary>
    private const int InFlight = 8;

    private static readonly TimeSpan ConfirmLimit = TimeSpan.FromSeconds(30);

    /// <summary>Writes every fact, in order; returns when Redis has confirmed all of them.</summary>
    public async Task WriteAsync(IEnumerable<Fact> facts, Action<long>? progress = null)
    {
        var db = redis.GetDatabase();
        // Plain async calls, pipelined by the multiplexer; an IBatch built during a reconnect can stay unsent
        // forever, so there is none, and a time limit on each: the caller then sends again (ids make that safe).
        var sent = new Queue<(Task Add, long Done)>();
        var chunk = new List<Fact>(FactStreamEntry.MaxFacts);
        long count = 0;
        async Task SendAsync()
        {
            sent.Enqueue((db.StreamAddAsync(RedisKeys.Facts, FactStreamEntry.Batch(chunk, Host)), count));
            chunk.Clear();
            while (sent.Count >= InFlight) await ConfirmOldestAsync();
        }
        async Task ConfirmOldestAsync()
        {
            var (add, done) = sent.Dequeue();
            await add.WaitAsync(ConfirmLimit);
            progress?.Invoke(done);
        }
        foreach (var fact in facts)
        {
            chunk.Add(fact);
            count++;
            if (chunk.Count == FactStreamEntry.MaxFacts) await SendAsync();
        }
        if (chunk.Count > 0) await SendAsync();
        while (sent.Count > 0) await ConfirmOldestAsync();
    }
}
