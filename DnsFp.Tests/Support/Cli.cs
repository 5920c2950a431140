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

    public static async Task<Result> RunAsync(string program, params string[] args)
    {
        using var p = Process.Start(StartInfo(program, args))!;
        var output = p.StandardOutput.ReadToEndAsync();
        var errors = p.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await p.WaitForExitAsync(timeout.Token);
        return new Result(p.ExitCode, await output, await errors);
    }
}
