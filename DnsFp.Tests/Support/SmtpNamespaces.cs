using System.Diagnostics;

namespace DnsFp.Tests.Support;

/// <summary>
/// Two network namespaces joined by a veth pair: "server" (10.99.0.1, 2001:db8:99::1) with socat listening on
/// port 25 as a stand-in MTA that sends its banner, and "client", holding the sender addresses it is given, from
/// which connections to port 25 are tried with a chosen source address. Needs root, as CI has.
/// </summary>
public sealed class SmtpNamespaces : IAsyncDisposable
{
    public const string ServerV4 = "10.99.0.1", ServerV6 = "2001:db8:99::1";

    private readonly List<Process> _listeners = [];
    private readonly string _id = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray().AsSpan(0, 3));

    public string Server => "dnsfp-s" + _id;
    public string Client => "dnsfp-c" + _id;

    public static async Task<SmtpNamespaces> StartAsync(params string[] senders)
    {
        var n = new SmtpNamespaces();
        await Ip("netns", "add", n.Server);
        await Ip("netns", "add", n.Client);
        await Ip("link", "add", "vs" + n._id, "netns", n.Server, "type", "veth", "peer", "name", "vc" + n._id, "netns", n.Client);
        foreach (var (ns, dev) in new[] { (n.Server, "vs" + n._id), (n.Client, "vc" + n._id) })
        {
            await Ip("-n", ns, "link", "set", "lo", "up");
            await Ip("-n", ns, "link", "set", dev, "up");
        }
        await Ip("-n", n.Server, "addr", "add", ServerV4 + "/24", "dev", "vs" + n._id);
        await Ip("-n", n.Server, "addr", "add", ServerV6 + "/64", "dev", "vs" + n._id, "nodad");
        await Ip("-n", n.Client, "addr", "add", "10.99.0.2/24", "dev", "vc" + n._id);
        await Ip("-n", n.Client, "addr", "add", "2001:db8:99::2/64", "dev", "vc" + n._id, "nodad");
        foreach (var sender in senders)
        {
            bool v6 = sender.Contains(':', StringComparison.Ordinal);
            string[] add = ["-n", n.Client, "addr", "add", sender + (v6 ? "/128" : "/32"), "dev", "vc" + n._id];
            await Ip(v6 ? [.. add, "nodad"] : add);
            await Ip("-n", n.Server, "route", "add", sender + (v6 ? "/128" : "/32"), "via", v6 ? "2001:db8:99::2" : "10.99.0.2");
        }
        foreach (var listen in new[] { "TCP4-LISTEN:25,fork,reuseaddr", "TCP6-LISTEN:25,fork,reuseaddr,ipv6only=1" })
        {
            var psi = new ProcessStartInfo("ip") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { "netns", "exec", n.Server, "socat", listen, "SYSTEM:echo 220 dnsfp-test ESMTP" }) psi.ArgumentList.Add(a);
            n._listeners.Add(Process.Start(psi)!);
        }
        for (int i = 0; i < 100 && !(await n.ConnectAsync("10.99.0.2")).Connected; i++) await Task.Delay(50);
        return n;
    }

    /// <summary>Runs a command inside the server namespace (nft there sees only that namespace's ruleset).</summary>
    public Task<Cli.Result> InServerAsync(params string[] command) => RunAsync("ip", ["netns", "exec", Server, .. command]);

    /// <summary>Opens a connection to port 25 of the server namespace from <paramref name="sender"/> and reads the banner.</summary>
    public async Task<(bool Connected, string Said)> ConnectAsync(string sender)
    {
        bool v6 = sender.Contains(':', StringComparison.Ordinal);
        string target = v6 ? $"TCP6:[{ServerV6}]:25,bind=[{sender}],connect-timeout=3" : $"TCP4:{ServerV4}:25,bind={sender},connect-timeout=3";
        var r = await RunAsync("ip", ["netns", "exec", Client, "socat", "-T", "3", "-u", target, "STDOUT"]);
        return (r.ExitCode == 0 && r.Output.StartsWith("220 dnsfp-test", StringComparison.Ordinal), (r.Output + r.Errors).Trim());
    }

    private static async Task Ip(params string[] args)
    {
        var r = await RunAsync("ip", args);
        if (r.ExitCode != 0) throw new InvalidOperationException($"ip {string.Join(' ', args)} failed (is this root?): {r.Errors}");
    }

    private static async Task<Cli.Result> RunAsync(string file, string[] args)
    {
        var psi = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var errors = p.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await p.WaitForExitAsync(timeout.Token);
        return new Cli.Result(p.ExitCode, await output, await errors);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var p in _listeners)
        {
            if (!p.HasExited) p.Kill(entireProcessTree: true);
            await p.WaitForExitAsync();
            p.Dispose();
        }
        await RunAsync("ip", ["netns", "del", Server]);
        await RunAsync("ip", ["netns", "del", Client]);
    }
}
