using System.CommandLine;
using DnsFp.Agent.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace DnsFp.Agent.Commands;

/// <summary>"dnsfp-agent run": the long-running agent (systemd service).</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var redis = new Option<string?>("--redis") { Description = "Redis to append facts to (host:port, or a StackExchange.Redis string with user=/password=). Sentinel: \"s1:26379,s2:26379,serviceName=dnsfp\"; Cluster: some primaries, \"n1:6379,n2:6379\". Setting: Agent:Redis" };
        var stateDir = new Option<string?>("--state-dir") { Description = "Folder for read positions and the spool (default /var/lib/dnsfp-agent). Setting: Agent:StateDir" };
        var eximLog = new Option<string?>("--exim-log") { Description = "Exim mainlog to follow (e.g. /var/log/exim4/mainlog). Setting: Agent:EximLog" };
        var eximRejectLog = new Option<string?>("--exim-rejectlog") { Description = "Exim rejectlog to follow; rejections are then counted from it, not from the mainlog. Setting: Agent:EximRejectLog" };
        var postfixLog = new Option<string?>("--postfix-log") { Description = "Postfix maillog to follow (e.g. /var/log/mail.log). Setting: Agent:PostfixLog" };
        var rspamdLog = new Option<string?>("--rspamd-log") { Description = "rspamd log to follow: each scanned message's action is the verdict (no action: accepted; reject, add header, rewrite subject: rejected). Setting: Agent:RspamdLog" };
        var journalUnit = new Option<string[]>("--journal-unit") { Description = "Read verdicts from the systemd journal entries of this unit (postfix@-.service, exim4.service, rspamd.service); repeatable. Needs the systemd-journal group. Setting: Agent:JournalUnits" };
        var journalIdentifier = new Option<string[]>("--journal-identifier") { Description = "Read verdicts from journal entries with this SYSLOG_IDENTIFIER (postfix/smtpd, exim); repeatable. Setting: Agent:JournalIdentifiers" };
        var journalDirectory = new Option<string?>("--journal-directory") { Description = "Read this journal folder instead of the system's (journalctl --directory). Setting: Agent:JournalDirectory" };
        var p0fSocket = new Option<string?>("--p0f-socket") { Description = "p0f API socket (p0f -s PATH) to look up the clients of followed mail logs. Setting: Agent:P0fSocket" };
        var p0fLog = new Option<string?>("--p0f-log") { Description = "p0f log (p0f -o PATH) to follow; each client SYN is an observation. Setting: Agent:P0fLog" };
        var pfCommand = new Option<string?>("--pf-command") { Description = "Command that runs pfctl, e.g. \"doas -n /sbin/pfctl\"; polled with -vvss and -vvsr. Setting: Agent:PfCommand" };
        var pfInterval = new Option<TimeSpan?>("--pf-interval")
        {
            Description = "How often pfctl is polled: 10s, 1m, 500ms or 00:00:10 (default 10s). Setting: Agent:PfInterval",
            CustomParser = r => DurationText.Parse(r.Tokens[0].Value, r),
        };
        var captureInterface = new Option<string?>("--capture-interface") { Description = "Fingerprint inbound SYNs on this interface (e.g. eth0, or any) ourselves; Linux, needs CAP_NET_RAW. Setting: Agent:CaptureInterface" };
        var capturePorts = new Option<int[]>("--capture-port") { Description = "Destination port whose SYNs are fingerprinted; repeatable (default 25, 465, 587). Setting: Agent:CapturePorts" };
        var captureDb = new Option<string[]>("--capture-db") { Description = "p0f.fp or pf.os to match SYNs with; repeatable, tried in order, first match wins (default /etc/p0f/p0f.fp, then pf.os). Setting: Agent:CaptureDatabases" };
        var p0fCompatible = new Option<bool>("--p0f-compatible") { Description = "Match SYNs exactly as p0f does (IPv6 SYNs with a flow label stay unnamed). Setting: Agent:P0fCompatible" };
        var firewall = new Option<string?>("--firewall") { Description = "Keep a firewall table of the addresses dnsfp lists in the bands of --firewall-bands: pf (a PF table, pfctl -T replace) or nftables (the sets listed4/listed6 of table inet dnsfp, nft -f). Learned by zone transfer from --firewall-server. Setting: Agent:Firewall:Kind" };
        firewall.AcceptOnlyFromAmong("pf", "nftables");
        var firewallServer = new Option<string?>("--firewall-server") { Description = "dnsfp server (or a secondary of it) to transfer the zone from, address[:port]; it must allow this host (Transfer:Allow \"ADDRESS NOKEY\"). Default 127.0.0.1:53. Setting: Agent:Firewall:Server" };
        var firewallZone = new Option<string?>("--firewall-zone") { Description = "The dnsfp zone (default fp.example.org). Setting: Agent:Firewall:Zone" };
        var firewallBands = new Option<string?>("--firewall-bands") { Description = "A values whose addresses go into the table, as the MTA snippets list them: 127.0.0.19 (default), 127.0.0.18,127.0.0.19 or 127.0.0.17-127.0.0.19. Setting: Agent:Firewall:Bands" };
        var firewallRefresh = new Option<TimeSpan?>("--firewall-refresh")
        {
            Description = "How often the zone is checked for changes (IXFR; one SOA when nothing changed): 1m (default), 30s. Setting: Agent:Firewall:Refresh",
            CustomParser = r => DurationText.Parse(r.Tokens[0].Value, r),
        };
        var firewallMax = new Option<int?>("--firewall-max") { Description = "Most addresses in the table (default 200000); beyond it the highest bands are kept, and it is logged. Setting: Agent:Firewall:MaxEntries" };
        var firewallCommand = new Option<string?>("--firewall-command") { Description = "The command that changes the table, e.g. \"doas -n /sbin/pfctl\" (deploy/pf/doas.conf) or \"nft\" (default pfctl or nft). Setting: Agent:Firewall:Command" };
        var firewallTable = new Option<string?>("--firewall-table") { Description = "The PF table, or the nftables inet table holding the sets listed4/listed6 (default dnsfp). Setting: Agent:Firewall:Table" };
        var http = new Option<string?>("--http") { Description = "Address:port for Prometheus metrics at /metrics (e.g. 127.0.0.1:8054; off by default). Settings: Agent:Http:Listen, Agent:Http:User and Agent:Http:Password for basic authentication" };
        var command = new Command("run", """
            Run as a daemon: follow the configured mail logs (like tail -F, across rename and copytruncate rotation)
            or the systemd journal (--journal-unit, with the journal's own cursor),
            turn lines into verdicts, keep them in a durable spool under --state-dir, and append them to Redis.
            Read positions are saved after each batch is spooled, so a restart (even after SIGKILL) continues where
            it stopped: no line lost, none counted twice. While Redis is down, facts wait in the spool (bounded by
            Agent:SpoolMaxBytes) and are replayed in order. Settings: appsettings.json, /etc/dnsfp/agent.json,
            DNSFP_Agent__* environment variables, then these flags. Stops cleanly on SIGTERM.
            Fingerprint sources: --pf-command (PF's own), --p0f-log / --p0f-socket (p0f's), --capture-interface (the agent
            matches SYNs itself with p0f.fp or pf.os, as "dnsfp-agent fingerprint" does on capture files).
            Firewall feed: --firewall pf|nftables keeps a PF table or nftables sets of the addresses listed in the
            chosen bands, followed by zone transfer (no Redis needed for it); a server that is away leaves the last
            good set in place.
            """) { redis, stateDir, eximLog, eximRejectLog, postfixLog, rspamdLog, journalUnit, journalIdentifier, journalDirectory, p0fSocket, p0fLog, pfCommand, pfInterval, captureInterface, capturePorts, captureDb, p0fCompatible, firewall, firewallServer, firewallZone, firewallBands, firewallRefresh, firewallMax, firewallCommand, firewallTable, http };
        command.SetAction((r, stop) => RunAsync(o =>
        {
            o.Redis = r.GetValue(redis) ?? o.Redis;
            o.StateDir = r.GetValue(stateDir) ?? o.StateDir;
            o.EximLog = r.GetValue(eximLog) ?? o.EximLog;
            o.EximRejectLog = r.GetValue(eximRejectLog) ?? o.EximRejectLog;
            o.PostfixLog = r.GetValue(postfixLog) ?? o.PostfixLog;
            o.RspamdLog = r.GetValue(rspamdLog) ?? o.RspamdLog;
            if (r.GetValue(journalUnit) is { Length: > 0 } units) o.JournalUnits = [.. units];
            if (r.GetValue(journalIdentifier) is { Length: > 0 } identifiers) o.JournalIdentifiers = [.. identifiers];
            o.JournalDirectory = r.GetValue(journalDirectory) ?? o.JournalDirectory;
            o.P0fSocket = r.GetValue(p0fSocket) ?? o.P0fSocket;
            o.P0fLog = r.GetValue(p0fLog) ?? o.P0fLog;
            o.PfCommand = r.GetValue(pfCommand) ?? o.PfCommand;
            o.PfInterval = r.GetValue(pfInterval) ?? o.PfInterval;
            o.CaptureInterface = r.GetValue(captureInterface) ?? o.CaptureInterface;
            o.CapturePorts = r.GetValue(capturePorts) is { Length: > 0 } ports ? ports : o.CapturePorts;
            if (r.GetValue(captureDb) is { Length: > 0 } dbs) { o.CaptureDatabase = null; o.CaptureDatabases = [.. dbs]; }
            if (r.GetValue(p0fCompatible)) o.P0fCompatible = true;
            o.Firewall.Kind = r.GetValue(firewall) ?? o.Firewall.Kind;
            o.Firewall.Server = r.GetValue(firewallServer) ?? o.Firewall.Server;
            o.Firewall.Zone = r.GetValue(firewallZone) ?? o.Firewall.Zone;
            o.Firewall.Bands = r.GetValue(firewallBands) ?? o.Firewall.Bands;
            o.Firewall.Refresh = r.GetValue(firewallRefresh) ?? o.Firewall.Refresh;
            o.Firewall.MaxEntries = r.GetValue(firewallMax) ?? o.Firewall.MaxEntries;
            o.Firewall.Command = r.GetValue(firewallCommand) ?? o.Firewall.Command;
            o.Firewall.Table = r.GetValue(firewallTable) ?? o.Firewall.Table;
            o.Http.Listen = r.GetValue(http) ?? o.Http.Listen;
        }, stop));
        return command;
    }

    private static async Task<int> RunAsync(Action<AgentOptions> overrides, CancellationToken stop)
    {
        IHost host;
        try
        {
            host = AgentHost.Build(overrides);
            await host.StartAsync(stop);
        }
        catch (OptionsValidationException ex)
        {
            await Console.Error.WriteLineAsync("dnsfp-agent: invalid settings: " + string.Join("; ", ex.Failures));
            return ExitCodes.Config;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync("dnsfp-agent: cannot start: " + ex.Message);
            return ExitCodes.Config;
        }
        await host.WaitForShutdownAsync(CancellationToken.None);
        host.Dispose();
        return ExitCodes.Ok;
    }
}
