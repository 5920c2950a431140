using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;
using DnsFp.Agent.Following;
using DnsFp.Agent.Spool;
using DnsFp.Agent.Verdicts.Exim;
using DnsFp.Agent.Verdicts.Postfix;
using DnsFp.Agent.Verdicts.Rspamd;
using DnsFp.Contract;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DnsFp.Agent.Sources.Journal;

/// <summary>
/// Verdicts from the systemd journal, for hosts where Postfix, Exim or rspamd log only there (Debian 12 has no
/// /var/log/mail.log by default). Runs <c>journalctl --output=json --follow</c> for the configured units and syslog
/// identifiers, from just after the journal's own cursor saved in the state folder. Each entry goes to the reader of
/// the program that wrote it (by SYSLOG_IDENTIFIER, else unit), as the line that program would have written to a file.
/// As with the file followers: a batch of entries → facts → spool (fsync) → cursor saved, and a fact's id is the
/// entry's cursor, so a kill at any moment loses nothing and counts nothing twice. Rotation and vacuuming are the
/// journal's business: journalctl seeks to the saved cursor, or to where it would have been if it was vacuumed.
/// Why journalctl and not libsystemd: no maintained .NET binding exists, and journalctl is on every systemd host,
/// reads every journal file version, and needs only the systemd-journal group.
/// </summary>
internal sealed partial class JournalSource(JournalSettings settings, string stateDirectory, FactSpool spool, TimeProvider time, ILogger<JournalSource> logger,
    Metrics.AgentMetrics.SourceCounters counters)
    : BackgroundService
{
    private const int BatchEntries = 2000;
    private static readonly TimeSpan BatchWait = TimeSpan.FromMilliseconds(200);

    private readonly string _statePath = Path.Combine(stateDirectory, "journal.position");
    private readonly Dictionary<string, ILogLineReader> _readers = new(StringComparer.Ordinal)
    {
        ["postfix"] = new PostfixVerdicts(),
        ["exim"] = new EximVerdicts(EximVerdicts.Mode.MainLog),
        ["rspamd"] = new RspamdVerdicts(),
    };
    private string? _cursor;
    private long _unparseable, _unknownPrograms;

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        LoadState();
        LogFollowing(logger, settings.Describe(), _cursor is null ? "its start" : "the saved cursor");
        string? lastFailure = null;
        while (!stop.IsCancellationRequested)
        {
            string? failure = await FollowOnceAsync(stop);
            if (stop.IsCancellationRequested) return;
            if (failure != lastFailure) LogJournalctlEnded(logger, failure ?? "it exited");
            lastFailure = failure;
            try { await Task.Delay(TimeSpan.FromSeconds(1), time, stop); } catch (OperationCanceledException) { return; }
        }
    }

    /// <summary>One journalctl process, from the committed cursor, until it ends; returns what it said when it failed.</summary>
    private async Task<string?> FollowOnceAsync(CancellationToken stop)
    {
        var psi = new ProcessStartInfo(settings.Command) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in settings.Arguments(_cursor)) psi.ArgumentList.Add(a);
        Process process;
        try { process = Process.Start(psi) ?? throw new InvalidOperationException("no process"); }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return $"cannot run {settings.Command}: {ex.Message}";
        }
        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync(stop);
            var lines = Channel.CreateBounded<string>(new BoundedChannelOptions(4 * BatchEntries) { SingleReader = true, SingleWriter = true });
            var pump = PumpAsync(process.StandardOutput, lines.Writer, stop);
            try
            {
                var batch = new List<string>(BatchEntries);
                while (await lines.Reader.WaitToReadAsync(stop))
                {
                    batch.Clear();
                    using (var window = CancellationTokenSource.CreateLinkedTokenSource(stop))
                    {
                        window.CancelAfter(BatchWait);
                        try
                        {
                            while (batch.Count < BatchEntries)
                            {
                                if (lines.Reader.TryRead(out var line)) { batch.Add(line); continue; }
                                if (!await lines.Reader.WaitToReadAsync(window.Token)) break;
                            }
                        }
                        catch (OperationCanceledException) when (!stop.IsCancellationRequested) { }
                    }
                    if (!await SpoolAsync(batch, stop)) break;
                }
            }
            catch (OperationCanceledException) { }
            finally
            {
                if (!process.HasExited) { try { process.Kill(); } catch (InvalidOperationException) { } }
                await process.WaitForExitAsync(CancellationToken.None);
                try { await pump; } catch (Exception ex) when (ex is OperationCanceledException or IOException) { }
            }
            string errors = "";
            try { errors = (await stderr).Trim(); } catch (OperationCanceledException) { }
            return process.ExitCode == 0 && errors.Length == 0 ? null : $"exit code {process.ExitCode}{(errors.Length > 0 ? ": " + errors : "")}";
        }
    }

    private static async Task PumpAsync(StreamReader output, ChannelWriter<string> writer, CancellationToken stop)
    {
        try
        {
            while (await output.ReadLineAsync(stop) is { } line) await writer.WriteAsync(line, stop);
        }
        finally { writer.TryComplete(); }
    }

    /// <summary>Facts of a batch into the spool, then the cursor and the readers' state saved; false when stopping.</summary>
    private async Task<bool> SpoolAsync(List<string> batch, CancellationToken stop)
    {
        if (batch.Count == 0) return true;
        var facts = new List<Fact>(batch.Count);
        long now = time.GetUtcNow().ToUnixTimeSeconds();
        string? cursor = _cursor;
        foreach (var json in batch)
        {
            var entry = JournalEntry.Parse(json, out var problem);
            if (entry is null) { counters.Unparseable(); if (_unparseable++ < 100) LogUnparseable(logger, problem!, json.Length > 300 ? json[..300] : json); continue; }
            cursor = entry.Cursor;
            if (string.IsNullOrWhiteSpace(entry.Message)) continue;
            string? program = ProgramOf(entry);
            if (program is null) { if (_unknownPrograms++ == 0) LogUnknownProgram(logger, entry.Identifier, entry.Unit); continue; }
            string text = program == "exim" ? entry.AsEximLine() : entry.AsSyslogLine();
            string? lineProblem = _readers[program].Read(new FollowedLine(text, Fact.MakeId("journal", entry.Cursor)), now, facts);
            if (lineProblem is null) continue;
            counters.Unparseable();
            if (_unparseable++ < 100) LogUnparseable(logger, lineProblem, text);
        }
        counters.Read(batch.Count);
        while (!spool.TryAppend(facts))
        {
            // spool full (Redis away for long): the entries stay in the journal; wait, or stop without saving the cursor
            try { await Task.Delay(TimeSpan.FromSeconds(1), time, stop); } catch (OperationCanceledException) { return false; }
        }
        _cursor = cursor;
        SaveState();
        return true;
    }

    /// <summary>Which reader an entry is for: by SYSLOG_IDENTIFIER ("postfix/smtpd", "postfix-in/qmgr", "exim", "rspamd"), else by unit.</summary>
    private static string? ProgramOf(JournalEntry e)
    {
        foreach (var name in new[] { e.Identifier, e.Unit })
        {
            if (name.StartsWith("postfix", StringComparison.Ordinal)) return "postfix";
            if (name.StartsWith("exim", StringComparison.Ordinal)) return "exim";
            if (name.StartsWith("rspamd", StringComparison.Ordinal)) return "rspamd";
        }
        return null;
    }

    private void LoadState()
    {
        if (!File.Exists(_statePath)) return;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(_statePath));
            _cursor = doc.RootElement.TryGetProperty("cursor", out var c) ? c.GetString() : null;
            if (!doc.RootElement.TryGetProperty("readers", out var readers)) return;
            foreach (var r in readers.EnumerateObject())
            {
                if (!_readers.TryGetValue(r.Name, out var reader) || r.Value.ValueKind != JsonValueKind.Object) continue;
                reader.LoadState(r.Value.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "", StringComparer.Ordinal));
            }
        }
        catch (JsonException ex)
        {
            LogBadState(logger, _statePath, ex.Message);
        }
    }

    private void SaveState()
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("cursor", _cursor);
            w.WriteStartObject("readers");
            foreach (var (name, reader) in _readers)
            {
                if (reader.SaveState() is not { } state) continue;
                w.WriteStartObject(name);
                foreach (var (k, v) in state) w.WriteString(k, v);
                w.WriteEndObject();
            }
            w.WriteEndObject();
            w.WriteEndObject();
        }
        AtomicFile.Write(_statePath, System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }

    [LoggerMessage(650, LogLevel.Information, "Following the journal ({What}) from {From}")]
    private static partial void LogFollowing(ILogger logger, string what, string from);

    [LoggerMessage(651, LogLevel.Warning, "journalctl ended ({Why}); restarting it every second from the saved cursor (the agent needs the systemd-journal group, or --journal-directory for other journals)")]
    private static partial void LogJournalctlEnded(ILogger logger, string why);

    [LoggerMessage(652, LogLevel.Warning, "Journal: skipped an entry that could not be read ({Problem}): {Entry}")]
    private static partial void LogUnparseable(ILogger logger, string problem, string entry);

    [LoggerMessage(653, LogLevel.Information, "Journal: entries of {Identifier} ({Unit}) are not Postfix, Exim or rspamd and are skipped (said once)")]
    private static partial void LogUnknownProgram(ILogger logger, string identifier, string unit);

    [LoggerMessage(654, LogLevel.Error, "Journal position {Path} is damaged ({Problem}); following from the journal's start (facts already sent are not counted twice)")]
    private static partial void LogBadState(ILogger logger, string path, string problem);
}
