using System.CommandLine;
using DnsFp.Server.Bands;
using DnsFp.Server.Follower;
using DnsFp.Server.Lifecycle;
using DnsFp.Server.Ratings;

namespace DnsFp.Server.Commands;

/// <summary>"dnsfp-server stats": the article's table, accepted / rejected / spam ratio per OS class or label.</summary>
internal static class StatsCommand
{
    public static Command Create()
    {
        var redis = new Option<string?>("--redis") { Description = "Redis to read, host:port. Setting: Server:Redis" };
        var days = new Option<int?>("--days") { Description = "Window in days, today included. Default: Bands:WindowDays (7)" };
        var by = new Option<string>("--by") { Description = "One row per OS 'class' (Windows), per 'label' (Windows 2000 RFC1323), or per SYN 'signature' key with the names seen for it", DefaultValueFactory = _ => "class" };
        by.AcceptOnlyFromAmong("class", "label", "signature");
        var format = new Option<string>("--format") { Description = "'text' (aligned, with the listing counts), 'csv' (RFC 4180, a header line) or 'json' (one object: windowDays, by, rows, total)", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "csv", "json");
        var command = new Command("stats", "Print accepted and rejected messages and the spam ratio per OS class (or label), largest first, with the band each gets.")
        {
            redis, days, by, format,
        };
        command.SetAction((result, _) => RunAsync(result.GetValue(redis), result.GetValue(days), result.GetValue(by) switch
        {
            "label" => StatsRow.Grouping.Label,
            "signature" => StatsRow.Grouping.Signature,
            _ => StatsRow.Grouping.Class,
        }, Console.Out, result.GetValue(format) switch
        {
            "csv" => StatsTable.Format.Csv,
            "json" => StatsTable.Format.Json,
            _ => StatsTable.Format.Text,
        }));
        return command;
    }

    internal static Task<int> RunAsync(string? redisFlag, int? daysFlag, bool byLabel, TextWriter output) =>
        RunAsync(redisFlag, daysFlag, byLabel ? StatsRow.Grouping.Label : StatsRow.Grouping.Class, output);

    internal static Task<int> RunAsync(string? redisFlag, int? daysFlag, StatsRow.Grouping by, TextWriter output, StatsTable.Format format = StatsTable.Format.Text) =>
        OperatorContext.RunAsync("stats", redisFlag, async (context, db) =>
        {
            int windowDays = daysFlag ?? context.Bands.WindowDays;
            var now = DateTimeOffset.UtcNow;
            var labels = await VerdictWindow.ReadAsync(db, windowDays, DateOnly.FromDateTime(now.UtcDateTime));
            var ratings = LabelRater.Rate(labels, context.Bands.MinimumVerdicts);
            var rows = StatsRow.Build(labels, ratings, by, context.Bands.MinimumVerdicts);
            await output.WriteLineAsync(StatsTable.Render(rows, by, windowDays, format));
            if (format != StatsTable.Format.Text) return ExitCodes.Ok;           // machine formats: the table only
            var policy = await context.PolicyAsync(db, now);
            var census = ListingCensus.Count((await IndexLoader.LoadAsync(db, CancellationToken.None)).Index, policy);
            await output.WriteLineAsync(census.ToText(policy.MaxAgeDays));
            return ExitCodes.Ok;
        });
}
