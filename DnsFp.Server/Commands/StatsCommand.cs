using System.CommandLine;
using System.Globalization;
using DnsFp.Contract;
using DnsFp.Server.Bands;
using DnsFp.Server.Hosting;
using DnsFp.Server.Ratings;
using Microsoft.Extensions.Configuration;
using StackExchange.Redis;

namespace DnsFp.Server.Commands;

/// <summary>"dnsfp-server stats": the article's table, accepted / rejected / spam ratio per OS class or label.</summary>
internal static class StatsCommand
{
    public static Command Create()
    {
        var redis = new Option<string?>("--redis") { Description = "Redis to read, host:port. Setting: Server:Redis" };
        var days = new Option<int?>("--days") { Description = "Window in days, today included. Default: Bands:WindowDays (7)" };
        var by = new Option<string>("--by") { Description = "One row per OS 'class' (Windows) or per 'label' (Windows 2000 RFC1323)", DefaultValueFactory = _ => "class" };
        by.AcceptOnlyFromAmong("class", "label");
        var command = new Command("stats", "Print accepted and rejected messages and the spam ratio per OS class (or label), largest first, with the band each gets.")
        {
            redis, days, by,
        };
        command.SetAction((result, _) => RunAsync(result.GetValue(redis), result.GetValue(days), result.GetValue(by) == "label", Console.Out));
        return command;
    }

    internal static async Task<int> RunAsync(string? redisFlag, int? daysFlag, bool byLabel, TextWriter output)
    {
        var settings = ServerConfiguration.Build();
        string endpoint = settings.RedisEndpoint(redisFlag);
        var bands = settings.Bands();
        int windowDays = daysFlag ?? bands.WindowDays;

        using var redis = await ConnectionMultiplexer.ConnectAsync(RedisConnection.Options(endpoint));
        List<LabelRater.LabelCounts> labels;
        try
        {
            labels = await VerdictWindow.ReadAsync(redis.GetDatabase(), windowDays, DateOnly.FromDateTime(DateTime.UtcNow));
        }
        catch (RedisException ex)
        {
            await Console.Error.WriteLineAsync($"dnsfp-server stats: cannot read Redis at {RedisConnection.Describe(endpoint)}: {ex.Message}");
            return ExitCodes.Unavailable;
        }
        var ratings = LabelRater.Rate(labels, bands.MinimumVerdicts);
        await output.WriteLineAsync(StatsTable.Render(labels, ratings, byLabel, windowDays));
        return ExitCodes.Ok;
    }
}
