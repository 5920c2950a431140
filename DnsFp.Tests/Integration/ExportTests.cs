using System.Diagnostics;
using DnsFp.Tests.Support;

namespace DnsFp.Tests.Integration;

/// <summary>
/// "dnsfp-server export": the rbldnsd file, served by the real rbldnsd, answers A and TXT exactly as dnsfp does for
/// every listed address; the zone file passes BIND's named-checkzone.
/// </summary>
public sealed class ExportTests(SampleDnsbl dnsbl) : IClassFixture<SampleDnsbl>
{
    [Fact]
    public async Task Rbldnsd_serving_the_export_answers_like_dnsfp()
    {
        var dir = Directory.CreateTempSubdirectory("dnsfp-export-").FullName;
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(dir, (UnixFileMode)0b111_101_101);            // rbldnsd drops root
        string file = Path.Combine(dir, "dnsfp.rbldnsd");
        var export = await Cli.RunAsync("dnsfp-server", "export", "--redis", dnsbl.Redis.Endpoint, "--zones", RepoPaths.Zones, "--format", "rbldnsd", "--output", file);
        Assert.Equal(0, export.ExitCode);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(file, (UnixFileMode)0b110_100_100);
        var listed = File.ReadLines(file).Where(l => char.IsAsciiHexDigit(l[0]) || l[0] == ':').Select(l => l[..l.IndexOf(' ', StringComparison.Ordinal)]).ToList();
        Assert.Equal(15, listed.Count);                                     // the sample's 13 observed addresses and the two test entries

        int port = FreePort.Tcp();
        var psi = new ProcessStartInfo("rbldnsd") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-n", "-b", $"127.0.0.1/{port}", "-w", dir, "fp.example.org:combined:dnsfp.rbldnsd" }) psi.ArgumentList.Add(a);
        using var rbldnsd = Process.Start(psi) ?? throw new InvalidOperationException("rbldnsd is not installed (.ci/run installs it)");
        try
        {
            await Dig.WaitForAsync(port, "2.0.0.127.fp.example.org", "A", a => a.Length == 1, TimeSpan.FromSeconds(10));
            foreach (var address in listed)
            {
                string name = QueryBuilder.Reverse(address) + ".fp.example.org";
                foreach (var type in new[] { "A", "TXT" })
                    Assert.Equal(await Dig.ShortAsync(dnsbl.Port, name, type), await Dig.ShortAsync(port, name, type));
            }
            Assert.Empty(await Dig.ShortAsync(port, "99.2.0.192.fp.example.org", "A"));
            // the zone's other names (glue) and the IPv6 test entry, as dnsfp answers them
            foreach (var (name, type) in new[] { ("ns1.fp.example.org", "A"), ("fp.example.org", "NS"), (QueryBuilder.Reverse("::ffff:7f00:2") + ".fp.example.org", "A") })
                Assert.Equal(await Dig.ShortAsync(dnsbl.Port, name, type), await Dig.ShortAsync(port, name, type));
            Assert.Equal(["127.0.0.2"], await Dig.ShortAsync(port, QueryBuilder.Reverse("::ffff:7f00:2") + ".fp.example.org", "A"));
        }
        finally
        {
            rbldnsd.Kill();
            await rbldnsd.WaitForExitAsync();
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public async Task Zone_file_export_is_a_valid_zone_with_every_listing()
    {
        string file = Path.Combine(Path.GetTempPath(), $"dnsfp-{Guid.NewGuid():N}.zone");
        try
        {
            var export = await Cli.RunAsync("dnsfp-server", "export", "--redis", dnsbl.Redis.Endpoint, "--zones", RepoPaths.Zones, "--format", "bind", "--output", file);
            Assert.Equal(0, export.ExitCode);
            var check = Process.Start(new ProcessStartInfo("named-checkzone", ["fp.example.org", file]) { RedirectStandardOutput = true, UseShellExecute = false })!;
            string output = await check.StandardOutput.ReadToEndAsync();
            await check.WaitForExitAsync();
            Assert.True(check.ExitCode == 0, output);
            var text = await File.ReadAllTextAsync(file);
            Assert.Contains("10.2.0.192 IN A 127.0.0.19", text, StringComparison.Ordinal);
            Assert.Contains("10.2.0.192 IN TXT \"AIX; 97% spam of 100 verdicts (label)\"", text, StringComparison.Ordinal);
            Assert.Contains(QueryBuilder.Reverse("2001:db8::40") + " IN A 127.0.0.11", text, StringComparison.Ordinal);
            Assert.Contains(QueryBuilder.Reverse("::ffff:7f00:2") + " IN A 127.0.0.2", text, StringComparison.Ordinal);
            // the export carries the serial dnsfp answers for the same data
            string soa = (await Dig.ShortAsync(dnsbl.Port, "fp.example.org", "SOA"))[0];
            Assert.Contains($"IN SOA {soa}", text, StringComparison.Ordinal);
        }
        finally { File.Delete(file); }
    }
}
