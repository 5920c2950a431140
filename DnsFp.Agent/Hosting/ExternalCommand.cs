using System.ComponentModel;
using System.Diagnostics;

namespace DnsFp.Agent.Hosting;

/// <summary>
/// A program the agent runs through a configured command line with a prefix ("doas -n /sbin/pfctl", "nft"), so the
/// privileges stay with doas/sudo or the unit's capabilities. A start failure or a non-zero exit is an
/// <see cref="ExternalCommandException"/> with the program's own words.
/// </summary>
internal sealed class ExternalCommand(string command)
{
    public string Text => command;

    public async Task<string> RunAsync(IEnumerable<string> arguments, CancellationToken stop)
    {
        var words = command.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var psi = new ProcessStartInfo(words[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var w in words.Skip(1).Concat(arguments)) psi.ArgumentList.Add(w);
        string line = string.Join(' ', psi.ArgumentList.Prepend(words[0]));
        Process p;
        try { p = Process.Start(psi) ?? throw new ExternalCommandException($"could not start '{line}'"); }
        catch (Win32Exception ex) { throw new ExternalCommandException($"could not start '{line}': {ex.Message}"); }
        using (p)
        {
            var output = p.StandardOutput.ReadToEndAsync(stop);
            var errors = p.StandardError.ReadToEndAsync(stop);
            await p.WaitForExitAsync(stop);
            if (p.ExitCode != 0) throw new ExternalCommandException($"'{line}' exited with {p.ExitCode}: {(await errors).Trim()}");
            return await output;
        }
    }
}

internal sealed class ExternalCommandException(string message) : InvalidOperationException(message);
