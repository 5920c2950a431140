using DnsFp.Contract;
using StackExchange.Redis;

namespace DnsFp.Agent.Writer;

/// <summary>
/// Appends facts to the facts stream with XADD only, which is all the agents' Redis user may do
/// (deploy/redis/users.acl). Pipelined in batches; the server folds each fact once by its id, so writing a batch
/// again after an error is safe.
/// </summary>
internal sealed class RedisFactWriter(IConnectionMultiplexer redis)
{
    /// <summary>This agent's host name as facts carry it, so operators can see which hosts run which sources.</summary>
    private static readonly string Host = Environment.MachineName;

    /// <summary>Facts in flight per round trip (pipelined).</summary>
    public const int BatchSize = 2000;

    public async Task WriteAsync(IReadOnlyList<Fact> facts, Action<int>? progress = null)
    {
        var db = redis.GetDatabase();
        for (int start = 0; start < facts.Count; start += BatchSize)
        {
            // Plain async calls, pipelined by the multiplexer; an IBatch built during a reconnect can stay unsent
            // forever, so there is none, and a time limit on top: the batch is then sent again (ids make that safe).
            var adds = new List<Task>(BatchSize);
            for (int i = start; i < Math.Min(facts.Count, start + BatchSize); i++)
                adds.Add(db.StreamAddAsync(RedisKeys.Facts, facts[i].ToStreamEntry(Host)));
            await Task.WhenAll(adds).WaitAsync(TimeSpan.FromSeconds(30));
            progress?.Invoke(Math.Min(facts.Count, start + BatchSize));
        }
    }
}
