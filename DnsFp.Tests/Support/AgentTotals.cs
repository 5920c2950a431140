using System.Diagnostics;
using System.Text.RegularExpressions;

namespace DnsFp.Tests.Support;

/// <summary>The accepted and rejected totals the server's "stats" counts, for exact comparison with what a generator wrote.</summary>
public static class AgentTotals
{
    public static async Task<(int, int)> WaitForAsync(string redis, int accepted, int rejected)
    {
        var sw = Stopwatch.StartNew();
        (int, int) totals;
        do
        {
            totals = await ReadAsync(redis);
            if (totals == (accepted, rejected)) return totals;
            await Task.Delay(250);
        } while (sw.Elapsed < TimeSpan.FromSeconds(60));
        return totals;
    }

    public static async Task<(int, int)> ReadAsync(string redis)
    {
        for (int attempt = 0; ; attempt++)
        {
            var output = new StringWriter();
            int code = await DnsFp.Server.Commands.StatsCommand.RunAsync(redis, null, false, output);
            if (code == 0)
            {
                var m = Regex.Match(output.ToString(), @"^total\s+(\d+)\s+(\d+)", RegexOptions.Multiline);
                return (int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
            }
            if (attempt > 20) throw new InvalidOperationException("stats failed");
            await Task.Delay(250);
        }
    }
}
