using System.Diagnostics.Metrics;

namespace DnsFp.Agent.Metrics;

/// <summary>
/// The agent's instruments (meter "DnsFp.Agent"; README.md beside this file lists their Prometheus names): lines read
/// and unparseable per source, facts spooled and sent, and, where facts go to Redis, the spool's size, Redis' state
/// and how long the oldest unsent fact has waited. None is on a per-packet path: sources count per batch.
/// </summary>
internal sealed class AgentMetrics
{
    public const string MeterName = "DnsFp.Agent";

    private readonly Meter _meter;
    private readonly Counter<long> _lines, _unparseable, _spooled, _sent;

    public AgentMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        _lines = _meter.CreateCounter<long>("dnsfp.agent.lines", "{line}", "Log lines or journal entries read, per source");
        _unparseable = _meter.CreateCounter<long>("dnsfp.agent.lines.unparseable", "{line}", "Lines a source could not read (logged, at most 100 per source), per source");
        _spooled = _meter.CreateCounter<long>("dnsfp.agent.facts.spooled", "{fact}", "Facts written to the spool (fsync'd)");
        _sent = _meter.CreateCounter<long>("dnsfp.agent.facts.sent", "{fact}", "Facts Redis acknowledged");
    }

    /// <summary>The counters of one source, its tag made once.</summary>
    public SourceCounters Source(string name) => new(this, new KeyValuePair<string, object?>("source", name));

    public readonly struct SourceCounters(AgentMetrics metrics, KeyValuePair<string, object?> tag)
    {
        public void Read(long lines) { if (lines > 0) metrics._lines.Add(lines, tag); }

        public void Unparseable() => metrics._unparseable.Add(1, tag);
    }

    public void Spooled(int facts) => _spooled.Add(facts);

    public void Sent(int facts) => _sent.Add(facts);

    /// <summary>The gauges of an agent that sends facts to Redis (the spool drainer registers them).</summary>
    public void ObserveSpool(Func<long> pendingBytes, Func<bool> redisUp, Func<double> oldestUnsentSeconds)
    {
        _meter.CreateObservableUpDownCounter("dnsfp.agent.spool.bytes", pendingBytes, "By", "Bytes of facts in the spool not yet acknowledged by Redis");
        _meter.CreateObservableGauge("dnsfp.agent.redis.up", () => redisUp() ? 1 : 0, null, "1 when the last write to Redis succeeded");
        _meter.CreateObservableGauge("dnsfp.agent.spool.oldest_unsent", oldestUnsentSeconds, "s", "Seconds the oldest fact not yet acknowledged by Redis has waited (0: none waiting)");
    }
}
