using System.Diagnostics;

namespace DnsFp.Tests.Support;

/// <summary>
/// Runs the built dnsfp-server / dnsfp-agent programs as separate processes, as an operator would: the JIT builds
/// next to the tests, or, when DNSFP_NATIVE names packaging/build.sh's native folder, the Native AOT binaries
/// (packaging/test-native.sh runs the DNS contract, MTA, agent-daemon and capture tests so).
/// </summary>
public static class Cli
{
    public sealed record Result(int ExitCode, string Output, string Errors);

    /// <summary>The folder holding dnsfp-server/dnsfp-server and dnsfp-agent/dnsfp-agent, or null for the JIT builds.</summary>
    public static string? NativeDirectory { get; } = Environment.GetEnvironmentVariable("DNSFP_NATIVE") is { Length: > 0 } dir ? Path.GetFullPath(dir) : null;

    /// <summary>The command line that starts <paramref name="program"/>: the native binary, or dotnet and the program's dll.</summary>
    public static string[] Command(string program) => NativeDirectory is { } dir
        ? [File.Exists(Path.Combine(dir, program, program)) ? Path.Combine(dir, program, program) : throw new FileNotFoundException($"DNSFP_NATIVE={dir} has no {program}/{program}: run packaging/build.sh")]
        : ["dotnet", Path.Combine(AppContext.BaseDirectory, program + ".dll")];

    public static ProcessStartInfo StartInfo(string program, params string[] args)
    {
        var command = Command(program);
        var psi = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in command.Skip(1).Concat(args)) psi.ArgumentList.Add(a);
        return psi;
    }

    /// <summary>Starts a long-running <paramref name="program"/> whose output and error lines go to <paramref name="sink"/> (locked on it).</summary>
    public static Process StartLogged(string program, List<string> sink, params string[] args)
    {
        var p = Process.Start(StartInfo(program, args))!;
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (sink) sink.Add(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (sink) sink.Add(e.Data); };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
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
