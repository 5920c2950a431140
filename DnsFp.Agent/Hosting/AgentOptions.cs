using DnsFp.Contract;
using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace DnsFp.Agent.Hosting;

/// <summary>
/// Section "Agent" of appsettings.json or /etc/dnsfp/agent.json; environment DNSFP_Agent__Redis etc.; the flags of
/// "run" win over both. Validated at start: a wrong setting stops the agent with a message naming it.
/// </summary>
public sealed class AgentOptions : IValidatableObject
{
    /// <summary>Redis to append facts to: host:port or a StackExchange.Redis configuration string (user=, password=).</summary>
    [Required]
    public string Redis { get; set; } = "127.0.0.1:6379";

    /// <summary>Folder for read positions and the spool; must be writable by the agent. Default /var/lib/dnsfp-agent.</summary>
    [Required]
    public string StateDir { get; set; } = "/var/lib/dnsfp-agent";

    /// <summary>Exim mainlog to follow (arrivals; rejections too unless EximRejectLog is set).</summary>
    public string? EximLog { get; set; }

    /// <summary>Exim rejectlog to follow for rejections.</summary>
    public string? EximRejectLog { get; set; }

    /// <summary>Postfix maillog to follow.</summary>
    public string? PostfixLog { get; set; }

    /// <summary>rspamd log to follow (rspamd's logging.inc type = "file"): each scanned message's action is a verdict.</summary>
    public string? RspamdLog { get; set; }

    /// <summary>systemd units whose journal entries are read for verdicts, e.g. "postfix@-.service", "exim4.service", "rspamd.service".</summary>
    public List<string> JournalUnits { get; set; } = [];

    /// <summary>SYSLOG_IDENTIFIERs whose journal entries are read (e.g. "postfix/smtpd"), besides <see cref="JournalUnits"/>.</summary>
    public List<string> JournalIdentifiers { get; set; } = [];

    /// <summary>A journal folder other than the system's (journalctl --directory); unset: the system journal.</summary>
    public string? JournalDirectory { get; set; }

    /// <summary>The journalctl to run. Default "journalctl".</summary>
    public string JournalCommand { get; set; } = "journalctl";

    internal bool HasJournal => JournalUnits.Count > 0 || JournalIdentifiers.Count > 0;

    /// <summary>p0f's API socket (p0f -s PATH): clients of followed mail logs are looked up there.</summary>
    public string? P0fSocket { get; set; }

    /// <summary>p0f's log (p0f -o PATH) to follow: every client SYN is an observation.</summary>
    public string? P0fLog { get; set; }

    /// <summary>Command that runs pfctl, e.g. "doas -n /sbin/pfctl" (deploy/pf/doas.conf); unset: no PF source.</summary>
    public string? PfCommand { get; set; }

    /// <summary>Interface to capture inbound SYNs on ("eth0", or "any"); unset: no capture source. Linux; needs CAP_NET_RAW.</summary>
    public string? CaptureInterface { get; set; }

    /// <summary>Destination ports whose SYNs are fingerprinted. Default 25, 465, 587.</summary>
    public int[]? CapturePorts { get; set; }

    /// <summary>p0f.fp or pf.os the capture source matches SYNs with. Default: the first of /etc/p0f/p0f.fp, /etc/pf.os,
    /// /usr/share/doc/nftables/examples/pf.os that exists.</summary>
    public string? CaptureDatabase { get; set; }

    internal IReadOnlySet<int> EffectiveCapturePorts => (CapturePorts is { Length: > 0 } ports ? ports : [25, 465, 587]).ToHashSet();

    /// <summary>More signature files after <see cref="CaptureDatabase"/>, tried in order, first match wins (a newer p0f-format database in front of Debian's).</summary>
    public List<string> CaptureDatabases { get; set; } = [];

    /// <summary>Match exactly as p0f does (IPv6 SYNs with a flow label then stay unnamed). Default false.</summary>
    public bool P0fCompatible { get; set; }

    internal string? EffectiveCaptureDatabase => CaptureDatabase ?? CaptureDatabases.FirstOrDefault() ?? Fingerprints.SignatureDatabase.DefaultPaths.FirstOrDefault(File.Exists);

    /// <summary>Every capture database in order.</summary>
    internal IReadOnlyList<string> EffectiveCaptureDatabases =>
        CaptureDatabase is null && CaptureDatabases.Count == 0 ? (EffectiveCaptureDatabase is { } d ? [d] : []) : [.. new[] { CaptureDatabase }.OfType<string>().Concat(CaptureDatabases)];

    /// <summary>How often pfctl is polled. Default 10 s.</summary>
    [TimeSpanRange("00:00:00.100", "01:00:00")]
    public TimeSpan PfInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Most bytes of facts kept while Redis is unreachable. Default 1 GiB.</summary>
    [Range(1 << 20, long.MaxValue)]
    public long SpoolMaxBytes { get; set; } = 1L << 30;

    /// <summary>How often followed logs are checked for new lines. Default 200 ms.</summary>
    [TimeSpanRange("00:00:00.010", "00:01:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Keep a PF table or nftables sets of the addresses listed in the chosen bands (section Agent:Firewall).</summary>
    [ValidateObjectMembers]
    public Firewall.FirewallOptions Firewall { get; set; } = new();

    /// <summary>The HTTP listener for metrics (Metrics/README.md). Off unless Agent:Http:Listen is set.</summary>
    [ValidateObjectMembers]
    public Contract.Http.HttpOptions Http { get; set; } = new();

    /// <summary>Whether any source makes facts (verdicts or observations); an agent that only feeds the firewall needs no Redis.</summary>
    internal bool HasFactSources => EximLog is not null || EximRejectLog is not null || PostfixLog is not null || RspamdLog is not null || HasJournal || PfCommand is not null || P0fLog is not null || CaptureInterface is not null;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!HasFactSources && !Firewall.Enabled)
            yield return new ValidationResult("no source configured: give at least one of --exim-log, --exim-rejectlog, --postfix-log, --rspamd-log, --journal-unit, --journal-identifier, --p0f-log, --pf-command, --capture-interface (Agent:EximLog, ...), or --firewall");
        if (JournalDirectory is not null && !HasJournal)
            yield return new ValidationResult("--journal-directory says which journal to read: give --journal-unit or --journal-identifier too", [nameof(JournalDirectory)]);
        if (JournalDirectory is not null && !Directory.Exists(JournalDirectory))
            yield return new ValidationResult($"JournalDirectory: '{JournalDirectory}' does not exist", [nameof(JournalDirectory)]);
        if (CaptureInterface is not null && EffectiveCaptureDatabase is not { } database)
            yield return new ValidationResult("--capture-interface needs a signature database: give --capture-db (p0f.fp or pf.os); none of the default places has one", [nameof(CaptureDatabase)]);
        else if (CaptureInterface is not null && EffectiveCaptureDatabases.FirstOrDefault(d => !File.Exists(d)) is { } missing)
            yield return new ValidationResult($"CaptureDatabase: '{missing}' does not exist", [nameof(CaptureDatabase)]);
        if (CaptureInterface is not null && !OperatingSystem.IsLinux())
            yield return new ValidationResult("--capture-interface needs Linux (a packet socket); elsewhere use PF or p0f", [nameof(CaptureInterface)]);
        else if (CaptureInterface is not null && Sources.Capture.SynSocket.InterfaceIndex(CaptureInterface) is null)
            yield return new ValidationResult($"CaptureInterface: there is no network interface '{CaptureInterface}' (see 'ip link'; 'any' captures on all)", [nameof(CaptureInterface)]);
        if (CapturePorts?.Any(p => p is < 1 or > 65535) == true)
            yield return new ValidationResult("CapturePorts: ports are 1-65535", [nameof(CapturePorts)]);
        if (P0fSocket is not null && EximLog is null && EximRejectLog is null && PostfixLog is null && RspamdLog is null)
            yield return new ValidationResult("--p0f-socket looks up the clients of followed mail logs: give --exim-log or --postfix-log too", [nameof(P0fSocket)]);
        foreach (var (name, path) in new[] { ("EximLog", EximLog), ("EximRejectLog", EximRejectLog), ("PostfixLog", PostfixLog), ("RspamdLog", RspamdLog), ("P0fLog", P0fLog) })
        {
            if (path is not null && !Directory.Exists(Path.GetDirectoryName(Path.GetFullPath(path))))
                yield return new ValidationResult($"{name}: the folder of '{path}' does not exist", [name]);
        }
    }
}

/// <summary>AgentOptions' checks (the attributes above and Validate), generated at compile time: no reflection, so the native build keeps them.</summary>
[OptionsValidator]
public sealed partial class AgentOptionsValidator : IValidateOptions<AgentOptions>;
