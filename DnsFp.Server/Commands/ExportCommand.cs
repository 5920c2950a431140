using System.CommandLine;
using DnsFp.Contract;
using DnsFp.Server.Bands;
using DnsFp.Server.Export;
using DnsFp.Server.Hosting;
using DnsFp.Server.Zones;
using Microsoft.Extensions.Configuration;
using StackExchange.Redis;

namespace DnsFp.Server.Commands;

/// <summary>"dnsfp-server export": the listings as an rbldnsd data file or a zone file, answering what dnsfp answers.</summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var redis = new Option<string?>("--redis") { Description = "Redis to read, host:port. Setting: Server:Redis" };
        var format = new Option<string>("--format") { Description = "rbldnsd (combined ip4set + ip6trie data file) or bind (zone file)", DefaultValueFactory = _ => "rbldnsd" };
        format.AcceptOnlyFromAmong("rbldnsd", "bind");
        var zones = new Option<string?>("--zones") { Description = "Zone folder, for SOA and NS. Setting: Server:Zones" };
        var zone = new Option<string?>("--zone") { Description = "Which zone of the folder (default: the only one)" };
        var output = new Option<FileInfo?>("--output") { Description = "File to write (default: standard output)" };
        var command = new Command("export", "Write every listed address with the A and TXT answers dnsfp gives it, for rbldnsd mirrors or BIND/NSD secondaries.")
        {
            redis, format, zones, zone, output,
        };
        command.SetAction((r, stop) => RunAsync(r.GetValue(redis), r.GetValue(format)!, r.GetValue(zones), r.GetValue(zone), r.GetValue(output), stop));
        return command;
    }

    private static async Task<int> RunAsync(string? redisFlag, string format, string? zonesFlag, string? zoneName, FileInfo? output, CancellationToken stop)
    {
        var settings = ServerConfiguration.Build();
        Zone selected;
        try
        {
            var set = ZoneDirectoryLoader.Load(zonesFlag ?? settings["Server:Zones"] ?? "zones");
            selected = zoneName is null
                ? (set.Zones.Length == 1 ? set.Zones[0] : throw new FormatException($"the zone folder has {set.Zones.Length} zones; choose one with --zone"))
                : set.Zones.FirstOrDefault(z => z.Name.Equals(zoneName.TrimEnd('.'), StringComparison.OrdinalIgnoreCase)) ?? throw new FormatException($"no zone '{zoneName}' in the zone folder");
        }
        catch (Exception ex) when (ex is FormatException or IOException)
        {
            return await OperatorContext.FailAsync("export", ExitCodes.Config, ex.Message);
        }

        return await OperatorContext.RunAsync("export", redisFlag, async (context, db) =>
        {
            var policy = await context.PolicyAsync(db, DateTimeOffset.UtcNow);
            // the serial the servers answer for the data read below (Zones/ZoneSerial), or a later one's predecessor
            long sequence = await Follower.ChangeFeed.SequenceSumAsync(db);
            var listings = await ExportSource.ReadAsync(db, context.Bands, policy, stop);
            var apex = ZoneApexText.From(selected) with { Serial = ZoneSerial.Compute(selected.FileSerial, sequence, policy.Today) };
            using var writer = output is null ? Console.Out : new StreamWriter(output.FullName);
            if (format == "bind") BindZoneExport.Write(writer, apex, listings);
            else RbldnsdExport.Write(writer, apex, listings);
            await writer.FlushAsync(stop);
            await Console.Error.WriteLineAsync($"exported {listings.Count} listed addresses of {selected.Name} as {format} (expired, excluded and delisted addresses left out)");
            return ExitCodes.Ok;
        });
    }
}
