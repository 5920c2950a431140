using System.Diagnostics;

namespace DnsFp.Tests.Support;

/// <summary>
/// A network namespace whose resolver is dnsfp: its own loopback, /etc/netns/NAME/resolv.conf saying
/// "nameserver 127.0.0.1", a redis-server, the sample imported by the agent, and dnsfp-server on 127.0.0.1:53 and
/// [::1]:53, all inside it. MTAs that only use the system resolver on port 53 (Exim, Postfix) run inside it too.
/// Needs root, as CI has.
/// </summary>
public sealed class NetnsDnsbl : IAsyncLifetime
{
    private readonly List<Process> _processes = [];

    public string Name { get; } = "dnsfp-" + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray().AsSpan(0, 4));

    public string Dir { get; } = System.IO.Directory.CreateTempSubdirectory("dnsfp-netns-").FullName;

    public async Task InitializeAsync()
    {
        // Exim and SpamAssassin drop root for their own users: they must be able to read and write here
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(Dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead
            | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute | UnixFileMode.StickyBit);
        await RunOkAsync("ip", "netns", "add", Name);
        System.IO.Directory.CreateDirectory($"/etc/netns/{Name}");
        await File.WriteAllTextAsync($"/etc/netns/{Name}/resolv.conf", "nameserver 127.0.0.1\n");
        await ExecOkAsync("ip", "link", "set", "lo", "up");
        Start("redis-server", "--port", "6379", "--bind", "127.0.0.1", "--dir", Dir, "--save", "", "--daemonize", "no");
        for (int i = 0; i < 100 && (await ExecAsync("redis-cli", "ping")).Output.Trim() != "PONG"; i++) await Task.Delay(50);
        await ExecOkAsync([.. Cli.Command("dnsfp-agent"), "import", "--redis", "127.0.0.1:6379",
            "--pf-states", RepoPaths.Sample("pfctl-vvss.txt"), "--pf-rules", RepoPaths.Sample("pfctl-vvsr.txt"), "--exim-log", RepoPaths.Sample("exim-mainlog")]);
        Start([.. Cli.Command("dnsfp-server"), "run", "--listen", "127.0.0.1:53", "--listen", "[::1]:53",
            "--zones", RepoPaths.Zones, "--redis", "127.0.0.1:6379"]);
        for (int i = 0; i < 300; i++)
        {
            if ((await ExecAsync("dig", "+short", "+time=1", "+tries=1", "60.113.0.203.fp.example.org", "A")).Output.Trim() == "127.0.0.14") return;
            await Task.Delay(100);
        }
        throw new TimeoutException($"dnsfp in namespace {Name} did not answer the sample within 30 s");
    }

    /// <summary>Runs a command inside the namespace and returns its exit code and output.</summary>
    public Task<Cli.Result> ExecAsync(params string[] command) => ExecWithInputAsync(null, command);

    public async Task<Cli.Result> ExecWithInputAsync(string? input, params string[] command)
    {
        var psi = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var a in new[] { "netns", "exec", Name }.Concat(command)) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        if (input is not null) await p.StandardInput.WriteAsync(input);
        p.StandardInput.Close();
        var output = p.StandardOutput.ReadToEndAsync();
        var errors = p.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await p.WaitForExitAsync(timeout.Token);
        return new Cli.Result(p.ExitCode, await output, await errors);
    }

    private async Task ExecOkAsync(params string[] command)
    {
        var r = await ExecAsync(command);
        if (r.ExitCode != 0) throw new InvalidOperationException($"{string.Join(' ', command)} failed in {Name}: {r.Errors}{r.Output}");
    }

    /// <summary>Starts a long-running program inside the namespace; it is stopped (SIGTERM) when the namespace goes.</summary>
    public Process StartInside(params string[] command) => Start(command);

    private Process Start(params string[] command)
    {
        var psi = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "netns", "exec", Name }.Concat(command)) psi.ArgumentList.Add(a);
        var p = Process.Start(psi)!;
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        _processes.Add(p);
        return p;
    }

    private static async Task RunOkAsync(string file, params string[] args)
    {
        using var p = Process.Start(file, args);
        await p.WaitForExitAsync();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed (is this root?)");
    }

    public async Task DisposeAsync()
    {
        foreach (var p in Enumerable.Reverse(_processes))
        {
            if (!p.HasExited)
            {
                // SIGTERM first, so daemons that fork (rspamd) stop their workers too
                await RunOkAsync("kill", "-TERM", p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
                using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                try { await p.WaitForExitAsync(grace.Token); } catch (OperationCanceledException) { p.Kill(entireProcessTree: true); }
            }
            p.Dispose();
        }
        await RunOkAsync("ip", "netns", "del", Name);
        System.IO.Directory.Delete($"/etc/netns/{Name}", recursive: true);
        System.IO.Directory.Delete(Dir, recursive: true);
    }
}
