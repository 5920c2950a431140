using System.Diagnostics;

namespace DnsFp.Tests.Support;

/// <summary>Runs the built dnsfp-server / dnsfp-agent programs as separate processes, as an operator would.</summary>
public static class Cli
{
    public sealed record Result(int ExitCode, string Output, string Errors);

    public static ProcessStartInfo StartInfo(string program, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, program + ".dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        return psi;
    }

    public static Task<Result> RunAsync(string program, params string[] args) => RunAsync(program, new Dictionary<string, string>(), args);

    /// <param name="environment">Extra environment variables, e.g. DNSFP_Listing__ExcludeFile.</param>
    public static async Task<Result> RunAsync(string program, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var psi = StartInfo(program, args);
        foreach (var (k, v) in environment) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var errors = p.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await p.WaitForExitAsync(timeout.Token);
        return new Result(p.ExitCode, await output, await errors);
    }
}
