using DnsFp.Contract;
using DnsFp.Server.Folding;
using DnsFp.Tests.Support;
using StackExchange.Redis;

namespace DnsFp.Tests.Server.Folding;

/// <summary>The fold script's Lua record functions give, in a real Redis, exactly what ListingRecord gives in C#.</summary>
public sealed class ListingRecordLuaTests
{
    private static readonly string Probe = ListingRecordLua.Functions + "\n" + """
        local old = false
        if ARGV[1] ~= '' then old = ARGV[1] end
        return record_observe(old, tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5]))
        """;

    [Fact]
    public async Task Lua_and_CSharp_agree_on_first_and_repeated_observations()
    {
        await using var redis = await RedisServer.StartAsync();
        using var client = await ConnectionMultiplexer.ConnectAsync(redis.Endpoint);
        var db = client.GetDatabase();
        var random = new Random(11);
        var cases = new List<(int? Old, int Label, int Day, ObservationSources Source, int Today)>();
        for (int i = 0; i < 2000; i++)
        {
            int today = 20_000 + random.Next(0, 9000);                         // crosses several 4096-day wraps
            int? old = i % 5 == 0 ? null : new ListingRecord(random.Next(1, ListingRecord.MaxLabelId + 1),
                (today - random.Next(0, 400)) & (ListingRecord.DayModulus - 1), (ObservationSources)random.Next(0, 16), random.Next(0, 8)).Pack();
            cases.Add((old, random.Next(1, ListingRecord.MaxLabelId + 1), today - random.Next(-3, 60), (ObservationSources)(1 << random.Next(0, 4)), today));
        }
        var replies = cases.Select(c => db.ScriptEvaluateAsync(Probe, values:
            [c.Old?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "", c.Label, c.Day, (int)c.Source, c.Today])).ToArray();
        for (int i = 0; i < cases.Count; i++)
        {
            var c = cases[i];
            var expected = c.Old is int o
                ? ListingRecord.Unpack(o).Observe(c.Label, c.Day, c.Source, c.Today)
                : ListingRecord.First(c.Label, Math.Min(c.Day, c.Today), c.Source);
            Assert.Equal(expected.Pack(), (int)(long)await replies[i]);
        }
    }
}
