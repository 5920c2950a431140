using System.Diagnostics;

namespace DnsFp.Agent.Sources.Pf;

/// <summary>
/// Runs pfctl through the configured command (e.g. "doas -n /sbin/pfctl", allowed by deploy/pf/doas.conf for
/// exactly -vvss and -vvsr), so /dev/pf never has to be readable by the agent's user.
/// </summary>
internal sealed class PfctlRunner(string command)
{
    public async Task<string[]> RunAsync(string argument, CancellationToken stop)
    {
        var words = command.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var psi = new ProcessStartInfo(words[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var w in words.Skip(1)) psi.ArgumentList.Add(w);
        psi.ArgumentList.Add(argument);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"could not start '{command}'");
        var output = p.StandardOutput.ReadToEndAsync(stop);
        var errors = p.StandardError.ReadToEndAsync(stop);
        await p.WaitForExitAsync(stop);
        if (p.ExitCode != 0) throw new InvalidOperationException($"'{command} {argument}' exited with {p.ExitCode}: {(await errors).Trim()}");
        return (await output).Split('\n');
    }
}
