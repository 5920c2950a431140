using System.CommandLine;
using DnsFp.Agent.Import;
using DnsFp.Agent.Writer;
using DnsFp.Contract;
using StackExchange.Redis;

namespace DnsFp.Agent.Commands;

/// <summary>"dnsfp-agent import": a one-shot import of pfctl output and mail logs into Redis.</summary>
internal static class ImportCommand
{
    public static Command Create()
    {
        var redis = new Option<string?>("--redis") { Description = "Redis to write facts to, host:port or a StackExchange.Redis configuration string. Sentinel: \"s1:26379,s2:26379,serviceName=dnsfp\"; Cluster: some primaries, \"n1:6379,n2:6379\". Setting: Agent:Redis" };
        var pfStates = new Option<FileInfo?>("--pf-states") { Description = "Output of 'pfctl -vvss' (states, with their rule numbers)" };
        var pfRules = new Option<FileInfo?>("--pf-rules") { Description = "Output of 'pfctl -vvsr' (rules, with os \"...\"), taken with --pf-states" };
        var eximLog = new Option<FileInfo[]>("--exim-log") { Description = "Exim mainlog or rejectlog: arrivals are accepted, rejections and drops rejected verdicts (Exim's continuation lines and header dumps are skipped); repeatable" };
        var postfixLog = new Option<FileInfo[]>("--postfix-log") { Description = "Postfix maillog (syslog or RFC 3339 timestamps): queued messages are accepted, rejections (also milter-reject) rejected verdicts; repeatable" };
        var rspamdLog = new Option<FileInfo[]>("--rspamd-log") { Description = "rspamd log: each scanned message's action is the verdict (no action: accepted; reject, add header, rewrite subject: rejected; greylist, soft reject: none); repeatable" };
        var observations = new Option<FileInfo[]>("--observations") { Description = "TSV of 'address TAB label [TAB class [TAB seen]]' lines (IPv4 and IPv6; seen = Unix seconds or ISO 8601, default now): bulk observations; repeatable" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Parse and report, write nothing" };
        var command = new Command("import", """
            Read the given inputs once and append what they say to Redis: pfctl states joined to their rules' "os"
            give observations (address -> OS label), mail-log lines (Exim, Postfix, rspamd) give accepted/rejected verdicts. Observations are
            written before verdicts. Lines that cannot be parsed are skipped, counted and listed at the end.
            Exit codes: 0 done; 65 done, but some lines were skipped as unparseable; 66 an input is missing;
            69 Redis unreachable (nothing was written twice: run it again); 64 bad flags.
            """) { redis, pfStates, pfRules, eximLog, postfixLog, rspamdLog, observations, dryRun };
        command.SetAction((result, _) => RunAsync(result.GetValue(redis), result.GetValue(pfStates), result.GetValue(pfRules),
            result.GetValue(eximLog) ?? [], result.GetValue(dryRun), Console.Out, Console.Error, result.GetValue(observations) ?? [],
            result.GetValue(postfixLog) ?? [], result.GetValue(rspamdLog) ?? []));
        return command;
    }

    internal static async Task<int> RunAsync(string? redisFlag, FileInfo? pfStates, FileInfo? pfRules, FileInfo[] eximLogs, bool dryRun, TextWriter output, TextWriter errors,
        FileInfo[]? observationFiles = null, FileInfo[]? postfixLogs = null, FileInfo[]? rspamdLogs = null)
    {
        observationFiles ??= []; postfixLogs ??= []; rspamdLogs ??= [];
        if ((pfStates is null) != (pfRules is null))
        {
            await errors.WriteLineAsync("dnsfp-agent import: --pf-states and --pf-rules go together (states name rules by number)");
            return ExitCodes.Usage;
        }
        if (pfStates is null && eximLogs.Length + observationFiles.Length + postfixLogs.Length + rspamdLogs.Length == 0)
        {
            await errors.WriteLineAsync("dnsfp-agent import: nothing to import; give --pf-states/--pf-rules, --observations, --exim-log, --postfix-log and/or --rspamd-log");
            return ExitCodes.Usage;
        }
        foreach (var f in new[] { pfStates, pfRules }.Concat(observationFiles).Concat(eximLogs).Concat(postfixLogs).Concat(rspamdLogs).OfType<FileInfo>())
        {
            if (!f.Exists)
            {
                await errors.WriteLineAsync($"dnsfp-agent import: input file '{f.FullName}' does not exist");
                return ExitCodes.NoInput;
            }
        }

        var plan = new ImportPlan();
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        if (pfStates is not null) plan.AddPf(pfStates.FullName, pfRules!.FullName, now);
        foreach (var o in observationFiles) plan.AddObservations(o.FullName, now);
        foreach (var log in eximLogs) plan.AddEximLog(log.FullName, now);
        foreach (var log in postfixLogs) plan.AddPostfixLog(log.FullName, now);
        foreach (var log in rspamdLogs) plan.AddRspamdLog(log.FullName, now);

        string endpoint = AgentConfiguration.RedisEndpoint(redisFlag);
        try
        {
            // The inputs are read as they are written (constant memory whatever their size); Redis is only
            // connected to once there is a fact to write.
            using var facts = plan.ReadFacts().GetEnumerator();
            bool any = facts.MoveNext();
            if (!dryRun && any)
            {
                using var connection = await ConnectionMultiplexer.ConnectAsync(RedisConnection.AppendOnly(endpoint));
                var progress = new ImportProgress(errors);
                await new RedisFactWriter(connection).WriteAsync(Remaining(facts), progress.Report);
                progress.Done(plan.FactCount);
            }
            else if (any) { while (facts.MoveNext()) { } }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await errors.WriteLineAsync($"dnsfp-agent import: cannot read input: {ex.Message}" +
                (plan.FactCount > 0 && !dryRun ? $" ({plan.FactCount} facts before it were written; importing again counts nothing twice)" : ""));
            return ExitCodes.NoInput;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            await errors.WriteLineAsync($"dnsfp-agent import: Redis at {RedisConnection.Describe(endpoint)} is unreachable ({ex.Message}); " +
                "no fact is lost: run the same import again when it is back (facts carry ids, nothing is counted twice)");
            return ExitCodes.Unavailable;
        }
        foreach (var line in plan.Summary) await output.WriteLineAsync(line);
        await output.WriteLineAsync(dryRun ? $"dry run: {plan.FactCount} facts not written" : $"wrote {plan.FactCount} facts to Redis");

        foreach (var p in plan.Problems) p.WriteTo(errors);
        return plan.UnparseableLines > 0 ? ExitCodes.DataSkipped : ExitCodes.Ok;
    }

    /// <summary>The current fact of an enumerator already moved onto it, then the rest.</summary>
    private static IEnumerable<Fact> Remaining(IEnumerator<Fact> facts)
    {
        do yield return facts.Current; while (facts.MoveNext());
    }
}
