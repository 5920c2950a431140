using System.CommandLine;
using System.Globalization;
using DnsFp.Server.Lifecycle;

namespace DnsFp.Server.Commands;

/// <summary>"dnsfp-server delistings": what is delisted, by whom, when, why, until when.</summary>
internal static class DelistingsCommand
{
    public static Command Create()
    {
        var redis = new Option<string?>("--redis") { Description = "Redis to read, host:port. Setting: Server:Redis" };
        var command = new Command("delistings", "List the delistings in force: range, until, when, by which operating-system user, and why. Exit codes: 0, 69 Redis unreachable.") { redis };
        command.SetAction((r, _) => OperatorContext.RunAsync("delistings", r.GetValue(redis), async (context, db) =>
        {
            var now = DateTimeOffset.UtcNow;
            var inForce = (await DelistingStore.ReadInForceAsync(db, now)).OrderBy(d => d.Until).ToList();
            await Console.Out.WriteAsync(Render(inForce));
            return ExitCodes.Ok;
        }));
        return command;
    }

    public static string Render(IReadOnlyList<Delisting> delistings)
    {
        if (delistings.Count == 0) return "no delistings in force\n";
        var inv = CultureInfo.InvariantCulture;
        int width = Math.Max("range".Length, delistings.Max(d => d.Range.ToString().Length));
        int userWidth = Math.Max("by".Length, delistings.Max(d => d.User.Length));
        var sb = new System.Text.StringBuilder();
        sb.Append(inv, $"{"range".PadRight(width)}  {"until (UTC)",-16}  {"since (UTC)",-16}  {"by".PadRight(userWidth)}  reason\n");
        foreach (var d in delistings)
            sb.Append(inv, $"{d.Range.ToString().PadRight(width)}  {d.Until.UtcDateTime,-16:yyyy-MM-dd HH:mm}  {d.At.UtcDateTime,-16:yyyy-MM-dd HH:mm}  {d.User.PadRight(userWidth)}  {d.Reason}\n");
        return sb.ToString();
    }
}
