using System.Diagnostics;
using DnsFp.Tests.Support;

namespace DnsFp.Tests.Integration;

/// <summary>
/// "dnsfp-agent fingerprint --pcap --db p0f.fp" against the real p0f 3.09b ("p0f -r", Debian's package; .ci/run
/// installs it) on the same files: SYNs built in code from every [tcp:request] signature with edge mutations,
/// odd packets, several link types, and the shared real captures when ../shared/reference/pcap is present.
/// Every SYN p0f reports must get the same label from dnsfp, and dnsfp must report no SYN p0f skips.
/// </summary>
public sealed class SynFingerprintConformanceTests
{
    private const string P0fDatabase = "/etc/p0f/p0f.fp";

    [Fact]
    public async Task Generated_syns_get_p0fs_own_labels_over_ethernet()
    {
        var syns = SynCorpus.Number([.. SynCorpus.FromP0fDatabase(P0fDatabase), .. SynCorpus.Odd()]);
        Assert.True(syns.Count > 500, $"only {syns.Count} SYNs generated");
        var file = WriteTemp(PcapWriter.Classic(PcapWriter.Ethernet, syns.Select(s => PcapWriter.Frame(PcapWriter.Ethernet, s.Build()))));
        var (compared, labels) = await CompareAsync(file);
        Assert.True(compared > 500, $"p0f reported only {compared} SYNs");
        Assert.True(labels.Count > 40, $"only {labels.Count} distinct labels exercised: {string.Join(", ", labels)}");
    }

    [Fact]
    public async Task Generated_syns_agree_over_linux_cooked_capture()
    {
        var syns = SynCorpus.Number(SynCorpus.Odd());
        var file = WriteTemp(PcapWriter.Classic(PcapWriter.LinuxCooked, syns.Select(s => PcapWriter.Frame(PcapWriter.LinuxCooked, s.Build()))));
        var (compared, _) = await CompareAsync(file);
        Assert.True(compared >= syns.Count - 4, $"p0f reported {compared} of {syns.Count} SYNs");   // SYN+FIN, SYN+RST and the fragment are skipped
    }

    [Fact]
    public async Task Shared_real_captures_get_p0fs_own_labels()
    {
        var folder = RepoPaths.SharedReference is { } reference ? Path.Combine(reference, "pcap") : null;
        if (folder is null || !Directory.Exists(folder)) return;   // the shared captures are not part of the repository; CI has them
        int total = 0;
        foreach (var file in Directory.EnumerateFiles(folder).Where(f => f.EndsWith(".pcap", StringComparison.Ordinal) || f.EndsWith(".cap", StringComparison.Ordinal)))
            total += (await CompareAsync(file)).Compared;
        Assert.True(total >= 30, $"p0f reported only {total} SYNs over the shared captures");
    }

    private static string WriteTemp(byte[] bytes)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("dnsfp-syn-").FullName, "syns.pcap");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>Runs both on the file; asserts agreement on every SYN; returns how many SYNs and which labels were compared.</summary>
    private static async Task<(int Compared, HashSet<string> Labels)> CompareAsync(string pcap)
    {
        var expected = await RunP0fAsync(pcap);
        var ours = await Cli.RunAsync("dnsfp-agent", "fingerprint", "--pcap", pcap, "--db", P0fDatabase, "--p0f-compatible");
        Assert.True(ours.ExitCode is 0 or 65, ours.Errors);
        var actual = new Dictionary<string, List<string>>();
        foreach (var line in ours.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var f = line.Split('\t');
            Assert.Equal(6, f.Length);
            Assert.Equal("p0f.fp", f[3]);
            Add(actual, $"{f[0]}/{f[1]}", $"{f[2]} | {f[5]}");
        }
        // the same labels, as many times (p0f reports a retransmitted SYN once; so must dnsfp)
        var mismatches = expected.Where(e => !actual.TryGetValue(e.Key, out var labels) || !labels.SequenceEqual(e.Value))
            .Select(e => $"{e.Key}: p0f '{string.Join("', '", e.Value)}', dnsfp '{string.Join("', '", actual.GetValueOrDefault(e.Key, []))}'").ToList();
        var extra = actual.Keys.Except(expected.Keys).Select(k => $"{k}: dnsfp '{string.Join("', '", actual[k])}', p0f reported nothing").ToList();
        Assert.True(mismatches.Count == 0 && extra.Count == 0,
            $"{Path.GetFileName(pcap)}: {mismatches.Count} disagreements, {extra.Count} extra of {expected.Count}:\n" + string.Join("\n", mismatches.Concat(extra).Take(40)));
        return (expected.Values.Sum(v => v.Count), [.. expected.Values.SelectMany(v => v).Select(v => v[..v.IndexOf(" | ", StringComparison.Ordinal)])]);
    }

    /// <summary>p0f -r FILE -o LOG: "cli=ADDR/PORT" and "os=LABEL" of each mod=syn line, keyed like dnsfp's output, in order.</summary>
    private static void Add(Dictionary<string, List<string>> labels, string key, string label)
    {
        if (!labels.TryGetValue(key, out var list)) labels[key] = list = [];
        list.Add(label);
    }

    private static async Task<Dictionary<string, List<string>>> RunP0fAsync(string pcap)
    {
        // a fresh log in a folder of our own: p0f appends, and the capture's folder may be shared or read-only
        var log = Path.Combine(Directory.CreateTempSubdirectory("dnsfp-p0f-").FullName, "p0f.log");
        var psi = new ProcessStartInfo(File.Exists("/usr/sbin/p0f") ? "/usr/sbin/p0f" : "p0f") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-r", pcap, "-o", log, "-f", P0fDatabase }) psi.ArgumentList.Add(a);
        using var p0f = Process.Start(psi) ?? throw new InvalidOperationException("p0f is not installed (.ci/run installs it)");
        var stdout = p0f.StandardOutput.ReadToEndAsync();
        var stderr = p0f.StandardError.ReadToEndAsync();
        await p0f.WaitForExitAsync();
        Assert.True(p0f.ExitCode == 0, $"p0f -r failed: {await stderr}");
        await stdout;
        var result = new Dictionary<string, List<string>>();
        foreach (var line in File.Exists(log) ? File.ReadLines(log) : [])
        {
            var fields = line[(line.IndexOf(']') + 2)..].Split('|').Select(f => f.Split('=', 2)).Where(kv => kv.Length == 2).ToDictionary(kv => kv[0], kv => kv[1]);
            if (fields.GetValueOrDefault("mod") is not ("syn" or "sendsyn probe")) continue;
            var client = fields["cli"];
            int slash = client.LastIndexOf('/');
            var address = System.Net.IPAddress.Parse(client[..slash]);     // p0f writes IPv6 uncompressed; dnsfp as .NET does
            // the signature key from p0f's own raw_sig must be the one the agent computes (DnsFp.Contract/SynSignature.cs)
            string key = DnsFp.Contract.SynSignature.FromP0fRawSignature(fields.GetValueOrDefault("raw_sig") ?? "") ?? "-";
            Add(result, $"{address}/{client[(slash + 1)..]}", $"{fields.GetValueOrDefault("os") ?? fields.GetValueOrDefault("app") ?? "???"} | {key}");
        }
        return result;
    }
}
