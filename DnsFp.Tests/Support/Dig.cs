using System.Diagnostics;

namespace DnsFp.Tests.Support;

/// <summary>Runs the real dig against a server and returns what it printed.</summary>
public static class Dig
{
    public static async Task<string> RunAsync(int port, params string[] args)
    {
        var psi = new ProcessStartInfo("dig") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "@127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "+time=2", "+tries=1" }.Concat(args))
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("could not start dig (bind9-dnsutils; .ci/run installs it)");
        string output = await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        return output;
    }

    /// <summary>"dig +short" lines.</summary>
    public static async Task<string[]> ShortAsync(int port, string name, string type, params string[] extra) =>
        (await RunAsync(port, [name, type, "+short", .. extra])).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The status word of dig's header line: NOERROR, NXDOMAIN, REFUSED, ...</summary>
    public static string Status(string output)
    {
        int i = output.IndexOf("status: ", StringComparison.Ordinal);
        return i < 0 ? "(no answer)" : output[(i + 8)..output.IndexOf(',', i)];
    }

    /// <summary>Polls until <paramref name="condition"/> holds for dig +short's output, or the timeout passes.</summary>
    public static async Task<string[]> WaitForAsync(int port, string name, string type, Func<string[], bool> condition, TimeSpan timeout)
    {
        var sw = Stopwatch.StartNew();
        string[] last;
        do
        {
            last = await ShortAsync(port, name, type);
            if (condition(last)) return last;
            await Task.Delay(50);
        } while (sw.Elapsed < timeout);
        return last;
    }
}
