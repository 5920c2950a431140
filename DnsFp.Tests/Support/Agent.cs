using DnsFp.Agent.Commands;

namespace DnsFp.Tests.Support;

/// <summary>Runs "dnsfp-agent import" in this process (or the native binary, with DNSFP_NATIVE) with real files and a real Redis, capturing its output.</summary>
public static class Agent
{
    public sealed record Result(int ExitCode, string Output, string Errors);

    public static async Task<Result> ImportAsync(string redis, string? pfStates = null, string? pfRules = null, params string[] eximLogs)
    {
        if (Cli.NativeDirectory is not null)
        {
            string[] args = ["import", "--redis", redis, .. pfStates is null ? [] : new[] { "--pf-states", pfStates }, .. pfRules is null ? [] : new[] { "--pf-rules", pfRules },
                .. eximLogs.SelectMany(l => new[] { "--exim-log", l })];
            var run = await Cli.RunAsync("dnsfp-agent", args);
            return new Result(run.ExitCode, run.Output, run.Errors);
        }
        var output = new StringWriter();
        var errors = new StringWriter();
        int code = await ImportCommand.RunAsync(redis, pfStates is null ? null : new FileInfo(pfStates), pfRules is null ? null : new FileInfo(pfRules),
            eximLogs.Select(p => new FileInfo(p)).ToArray(), dryRun: false, output, errors);
        return new Result(code, output.ToString(), errors.ToString());
    }

    /// <summary>"dnsfp-agent import --observations FILE" with these "address TAB label [TAB class [TAB seen]]" lines.</summary>
    public static async Task<Result> ImportObservationsAsync(string redis, params string[] lines)
    {
        string file = Path.Combine(Path.GetTempPath(), $"dnsfp-obs-{Guid.NewGuid():N}.tsv");
        await File.WriteAllLinesAsync(file, lines);
        try
        {
            var output = new StringWriter();
            var errors = new StringWriter();
            int code = await ImportCommand.RunAsync(redis, null, null, [], dryRun: false, output, errors, [new FileInfo(file)]);
            return new Result(code, output.ToString(), errors.ToString());
        }
        finally { File.Delete(file); }
    }
}
