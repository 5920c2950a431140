using DnsFp.Tests.Support;

namespace DnsFp.Tests.Mta;

/// <summary>
/// The shipped Exim ACL fragments (deploy/exim/) in the real Exim 4.96, "exim -bh" inside a network namespace whose
/// resolver is dnsfp on port 53, fed by the agent with the sample: AIX (127.0.0.19) is denied with its OS in the
/// reply, Linux 2.6 (127.0.0.11) gets the header only, an unlisted client gets neither.
/// </summary>
public sealed class EximTests(NetnsDnsbl dnsbl) : IClassFixture<NetnsDnsbl>
{
    private const string Session = "HELO x.example.net\r\nMAIL FROM:<a@example.net>\r\nRCPT TO:<u@example.org>\r\nDATA\r\nSubject: t\r\n\r\nbody\r\n.\r\nQUIT\r\n";

    private async Task<string> HostCheckAsync(string client)
    {
        string conf = Path.Combine(dnsbl.Dir, "exim.conf");
        if (!File.Exists(conf))
        {
            // Exim reads its configuration as its own user: copy the shipped fragments into the namespace's
            // world-readable folder, since the checkout may sit under a private directory
            foreach (var fragment in new[] { "dnsfp-rcpt.acl", "dnsfp-data.acl" })
                File.Copy(RepoPaths.Deploy("exim/" + fragment), Path.Combine(dnsbl.Dir, fragment));
            await File.WriteAllTextAsync(conf, $"""
                primary_hostname = mail.example.org
                domainlist local_domains = example.org
                acl_smtp_rcpt = acl_check_rcpt
                acl_smtp_data = acl_check_data
                log_file_path = {dnsbl.Dir}/exim-%slog
                spool_directory = {dnsbl.Dir}/exim-spool
                begin acl
                acl_check_rcpt:
                .include {dnsbl.Dir}/dnsfp-rcpt.acl
                  accept  domains = +local_domains
                  deny    message = relay not permitted
                acl_check_data:
                .include {dnsbl.Dir}/dnsfp-data.acl
                  accept
                begin routers
                local:
                  driver = accept
                  transport = t
                begin transports
                t:
                  driver = appendfile
                  file = {dnsbl.Dir}/mbox

                """);
        }
        var r = await dnsbl.ExecWithInputAsync(Session, "exim4", "-C", conf, "-bh", client);
        return r.Output + r.Errors;
    }

    [Fact]
    public async Task High_band_client_is_denied_with_its_os()
    {
        var output = await HostCheckAsync("192.0.2.10");
        Assert.Contains("550 AIX; 97% spam of 100 verdicts (label)", output, StringComparison.Ordinal);
        Assert.DoesNotContain("<= a@example.net", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("192.0.2.40")]
    [InlineData("2001:db8::40")]
    public async Task Low_band_client_gets_the_header_only(string client)
    {
        var output = await HostCheckAsync(client);
        Assert.Contains("= X-OS-Fingerprint: Linux 2.6\n", output, StringComparison.Ordinal);
        Assert.Contains("= X-OS-Fingerprint-Band: 1\n", output, StringComparison.Ordinal);
        Assert.Contains("<= a@example.net", output, StringComparison.Ordinal);             // accepted
        Assert.DoesNotContain("rejected RCPT", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Middle_band_client_is_deferred()
    {
        var output = await HostCheckAsync("203.0.113.30");                                   // Windows XP, 127.0.0.17
        Assert.Contains("451-Temporarily refused for your system (Windows XP; 70% spam", output, StringComparison.Ordinal);
        Assert.Contains("temporarily rejected RCPT", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unlisted_client_gets_neither()
    {
        var output = await HostCheckAsync("192.0.2.99");
        Assert.Contains("<= a@example.net", output, StringComparison.Ordinal);
        Assert.DoesNotContain("X-OS-Fingerprint", output.Replace("check add_header = X-OS-Fingerprint", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("192.0.2.99 is not listed at fp.example.org", output, StringComparison.Ordinal);
    }
}
