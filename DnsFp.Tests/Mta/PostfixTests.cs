using System.Diagnostics;
using DnsFp.Tests.Support;

namespace DnsFp.Tests.Mta;

/// <summary>
/// The shipped Postfix settings (deploy/postfix/main.cf.dnsfp) in the real Postfix 3.7 (Debian's package unpacked by
/// Mta/setup-postfix.sh, since it conflicts with exim4), its master and smtpd running in a network namespace whose
/// resolver is dnsfp. Clients connect from the namespace's own addresses with swaks: the 127.0.0.19 client is
/// rejected with its OS in the reply, the others are accepted.
/// </summary>
public sealed class PostfixTests(NetnsDnsbl dnsbl) : IClassFixture<NetnsDnsbl>
{
    private static readonly string Root = Environment.GetEnvironmentVariable("DNSFP_POSTFIX_ROOT") ?? "/opt/dnsfp-test/postfix";

    [Fact]
    public async Task Reject_rbl_client_refuses_the_worst_band_and_accepts_the_rest()
    {
        Assert.True(File.Exists(Path.Combine(Root, "usr/sbin/postfix")), $"no Postfix in {Root}: run DnsFp.Tests/Mta/setup-postfix.sh (test.sh and .ci/run do)");
        string conf = Path.Combine(dnsbl.Dir, "postfix"), queue = Path.Combine(dnsbl.Dir, "postfix-queue"), data = Path.Combine(dnsbl.Dir, "postfix-data");
        foreach (var d in new[] { conf, queue, data }) Directory.CreateDirectory(d);
        await RunAsync("chown", "postfix", data);
        foreach (var f in new[] { "etc/postfix/postfix-files", "usr/share/postfix/dynamicmaps.cf" }) File.Copy(Path.Combine(Root, f), Path.Combine(conf, Path.GetFileName(f)));
        Directory.CreateDirectory(Path.Combine(conf, "dynamicmaps.cf.d"));
        Directory.CreateDirectory(Path.Combine(conf, "postfix-files.d"));
        string lib = Path.Combine(Root, "usr/lib/postfix");
        await File.WriteAllTextAsync(Path.Combine(conf, "main.cf"), $"""
            # where this unpacked Postfix lives; then the shipped dnsfp settings, unchanged
            compatibility_level = 3.6
            myhostname = mail.example.org
            mydestination = example.org
            mynetworks = 127.0.0.0/8
            inet_interfaces = 127.0.0.1
            inet_protocols = ipv4
            queue_directory = {queue}
            data_directory = {data}
            daemon_directory = {lib}/sbin
            command_directory = {Root}/usr/sbin
            shlib_directory = {lib}
            meta_directory = {conf}
            manpage_directory = {Root}/usr/share/man
            sendmail_path = {Root}/usr/sbin/sendmail
            newaliases_path = {Root}/usr/bin/newaliases
            mailq_path = {Root}/usr/bin/mailq
            import_environment = MAIL_CONFIG MAIL_DEBUG MAIL_LOGTAG TZ LANG=C LD_LIBRARY_PATH={lib}
            maillog_file_prefixes = {dnsbl.Dir}
            maillog_file = {dnsbl.Dir}/postfix.log
            alias_maps =
            alias_database =
            local_recipient_maps =
            smtpd_tls_security_level = none

            {await File.ReadAllTextAsync(RepoPaths.Deploy("postfix/main.cf.dnsfp"))}
            """);
        await File.WriteAllTextAsync(Path.Combine(conf, "master.cf"), """
            smtp      inet  n       -       n       -       -       smtpd
            pickup    unix  n       -       n       60      1       pickup
            cleanup   unix  n       -       n       -       0       cleanup
            qmgr      unix  n       -       n       300     1       qmgr
            rewrite   unix  -       -       n       -       -       trivial-rewrite
            bounce    unix  -       -       n       -       0       bounce
            defer     unix  -       -       n       -       0       bounce
            trace     unix  -       -       n       -       0       bounce
            verify    unix  -       -       n       -       1       verify
            proxymap  unix  -       -       n       -       -       proxymap
            error     unix  -       -       n       -       -       error
            discard   unix  -       -       n       -       -       discard
            local     unix  -       n       n       -       -       local
            anvil     unix  -       -       n       -       1       anvil
            scache    unix  -       -       n       -       1       scache
            postlog   unix-dgram n  -       n       -       1       postlogd

            """);
        foreach (var client in new[] { "192.0.2.10", "192.0.2.40", "192.0.2.99" }) await dnsbl.ExecAsync("ip", "addr", "add", client + "/32", "dev", "lo");
        var start = await dnsbl.ExecAsync("env", $"LD_LIBRARY_PATH={lib}", Path.Combine(Root, "usr/sbin/postfix"), "-c", conf, "start");
        Assert.True(start.ExitCode == 0, $"postfix did not start: {start.Errors}\n{ReadLog()}");
        try
        {
            for (int i = 0; i < 50 && !(await dnsbl.ExecAsync("ss", "-ltn")).Output.Contains("127.0.0.1:25", StringComparison.Ordinal); i++) await Task.Delay(100);

            var high = await SwaksAsync("192.0.2.10");
            Assert.Contains("554 5.7.1 Service unavailable; Client host [192.0.2.10] blocked using fp.example.org; AIX; 97% spam", high, StringComparison.Ordinal);
            foreach (var client in new[] { "192.0.2.40", "192.0.2.99" })                      // Linux 2.6 (127.0.0.11); not listed
            {
                var output = await SwaksAsync(client);
                Assert.Contains("<-  250 2.1.5 Ok", output, StringComparison.Ordinal);
                Assert.DoesNotContain("blocked using", output, StringComparison.Ordinal);
            }
        }
        finally
        {
            await dnsbl.ExecAsync("env", $"LD_LIBRARY_PATH={lib}", Path.Combine(Root, "usr/sbin/postfix"), "-c", conf, "stop");
        }
    }

    private async Task<string> SwaksAsync(string client)
    {
        var r = await dnsbl.ExecAsync("swaks", "--server", "127.0.0.1", "--local-interface", client, "--from", "a@example.net", "--to", "u@example.org", "--quit-after", "RCPT");
        return r.Output + r.Errors;
    }

    private string ReadLog() => File.Exists(Path.Combine(dnsbl.Dir, "postfix.log")) ? File.ReadAllText(Path.Combine(dnsbl.Dir, "postfix.log")) : "(no postfix.log)";

    private static async Task RunAsync(string file, params string[] args)
    {
        using var p = Process.Start(file, args);
        await p.WaitForExitAsync();
    }
}
