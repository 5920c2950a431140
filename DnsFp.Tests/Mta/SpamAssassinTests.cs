using DnsFp.Tests.Support;

namespace DnsFp.Tests.Mta;

/// <summary>The shipped SpamAssassin rules (deploy/spamassassin/dnsfp.cf) in the real SpamAssassin 4, with dns_server pointing at dnsfp.</summary>
public sealed class SpamAssassinTests(NetnsDnsbl dnsbl) : IClassFixture<NetnsDnsbl>
{
    private async Task<string> ScanAsync(string lastExternal)
    {
        string site = Path.Combine(dnsbl.Dir, "sa");
        if (!Directory.Exists(site))
        {
            Directory.CreateDirectory(site);
            foreach (var pre in Directory.GetFiles("/etc/spamassassin", "*.pre")) File.Copy(pre, Path.Combine(site, Path.GetFileName(pre)));
            File.Copy(RepoPaths.Deploy("spamassassin/dnsfp.cf"), Path.Combine(site, "dnsfp.cf"));
            await File.WriteAllTextAsync(Path.Combine(site, "local.cf"), "dns_server 127.0.0.1:53\ndns_available yes\nuse_bayes 0\n");
        }
        string message = $"""
            Received: from x.example.net ([{lastExternal}]) by mail.example.org with esmtp id 1; Fri, 27 Nov 2026 07:00:00 +0000
            From: a@example.net
            To: u@example.org
            Subject: test
            Message-ID: <t@example.net>
            Date: Fri, 27 Nov 2026 07:00:00 +0000

            body

            """;
        var r = await dnsbl.ExecWithInputAsync(message.Replace("\r\n", "\n", StringComparison.Ordinal), "spamassassin", "-t", $"--siteconfigpath={site}");
        return r.Output;
    }

    [Fact]
    public async Task Band_rule_fires_for_a_listed_last_external_relay()
    {
        var report = await ScanAsync("192.0.2.10");
        Assert.Contains("RCVD_IN_DNSFP_B9", report, StringComparison.Ordinal);
        Assert.DoesNotContain("RCVD_IN_DNSFP_B1", report, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Band_and_os_class_rules_fire_for_linux()
    {
        var report = await ScanAsync("192.0.2.40");
        Assert.Contains("RCVD_IN_DNSFP_B1", report, StringComparison.Ordinal);
        Assert.Contains("RCVD_IN_DNSFP_OS_LINUX", report, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nothing_fires_for_an_unlisted_relay()
    {
        var report = await ScanAsync("192.0.2.99");
        Assert.Contains("X-Spam-Status", report, StringComparison.Ordinal);                // it did scan
        Assert.DoesNotContain("DNSFP", report, StringComparison.Ordinal);
    }
}
