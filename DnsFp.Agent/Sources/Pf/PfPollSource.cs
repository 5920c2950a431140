using System.ComponentModel;
using DnsFp.Agent.Import;
using DnsFp.Agent.Spool;
using DnsFp.Contract;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DnsFp.Agent.Sources.Pf;

/// <summary>
/// Polls "pfctl -vvss" and "pfctl -vvsr" every interval and turns states that were not there at the previous poll
/// into observations (the article's way: the os "..." of the rule that created the state). A state's id
/// (-vv "id: ... creatorid: ...") tells new from old; the fact id comes from it, so a state seen again after a
/// restart is not counted twice. Anchor-relative rule numbers are never mapped to main-ruleset rules.
/// </summary>
internal sealed partial class PfPollSource(PfctlRunner pfctl, TimeSpan interval, FactSpool spool, TimeProvider time, ILogger<PfPollSource> logger) : BackgroundService
{
    private HashSet<string> _previous = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        bool failing = false;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await PollOnceAsync(stop);
                if (failing) LogRecovered(logger);
                failing = false;
            }
            catch (Exception ex) when (ex is InvalidOperationException or Win32Exception or IOException)
            {
                if (!failing) LogPfctlFailed(logger, ex.Message);
                failing = true;
            }
            catch (OperationCanceledException) { return; }
            try { await Task.Delay(interval, time, stop); } catch (OperationCanceledException) { return; }
        }
    }

    internal async Task PollOnceAsync(CancellationToken stop)
    {
        var problems = new LineProblems("pfctl");
        var rules = PfRuleSet.Parse(await pfctl.RunAsync("-vvsr", stop), problems);
        var states = PfStateReader.Read(await pfctl.RunAsync("-vvss", stop), problems);
        if (problems.Count > 0) LogUnparsed(logger, problems.Count);

        var current = new HashSet<string>(StringComparer.Ordinal);
        var facts = new List<Fact>();
        long now = time.GetUtcNow().ToUnixTimeSeconds();
        foreach (var (state, label) in PfObservations.Observed(states, rules))
        {
            string key = state.StateId ?? $"{state.Remote}/{state.Rule}";
            current.Add(key);
            if (_previous.Contains(key)) continue;
            facts.Add(Fact.Observation(Fact.MakeId("pf", key, state.Remote.ToString(), label), state.Remote, label, now, ObservationSources.Pf));
        }
        while (!spool.TryAppend(facts)) await Task.Delay(TimeSpan.FromSeconds(1), time, stop);
        _previous = current;
    }

    [LoggerMessage(800, LogLevel.Warning, "PF source: {Reason}; retrying every poll")]
    private static partial void LogPfctlFailed(ILogger logger, string reason);

    [LoggerMessage(801, LogLevel.Information, "PF source: pfctl answers again")]
    private static partial void LogRecovered(ILogger logger);

    [LoggerMessage(802, LogLevel.Warning, "PF source: {Lines} pfctl output lines were in no known format and were skipped")]
    private static partial void LogUnparsed(ILogger logger, int lines);
}
