using System.Diagnostics.Metrics;
using DnsFp.Server.Engine;
using DnsFp.Server.Hosting;
using DnsFp.Server.Index;
using StackExchange.Redis;

namespace DnsFp.Server.Metrics;

/// <summary>
/// The server's instruments (meter "DnsFp.Server"; README.md beside this file lists them with their Prometheus
/// names). Query-path counts are observed from <see cref="QueryCounters"/> at scrape time; the fold, the follower and
/// the sweeper record into the counters and histograms here directly (they are not on the query path).
/// </summary>
internal sealed class ServerMetrics
{
    public const string MeterName = "DnsFp.Server";

    /// <summary>Seconds; from a millisecond to a minute, where a fold or a follower's read can land.</summary>
    private static readonly IReadOnlyList<double> DelayBuckets = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60];

    private readonly Counter<long> _folded;
    private readonly Counter<long> _swept;
    private readonly Histogram<double> _foldDelay;
    private readonly Histogram<double> _indexDelay;

    public ServerMetrics(IMeterFactory meters, QueryCounters queries, IndexHolder index, ServerHealth health, DnsListenerService listeners, IConnectionMultiplexer redis)
    {
        var meter = meters.Create(MeterName);
        meter.CreateObservableCounter("dnsfp.server.queries", () => queries.Responses().Select(r =>
            new Measurement<long>(r.Count, Tag("transport", TransportName(r.Transport)), Tag("rcode", r.Rcode), Tag("type", r.Type))),
            "{query}", "DNS queries by transport, response code (\"dropped\": no response) and query type");
        meter.CreateObservableCounter("dnsfp.server.answers", () => queries.Bands().Select(b =>
            new Measurement<long>(b.Count, Tag("band", "127.0.0." + b.Band.ToString(System.Globalization.CultureInfo.InvariantCulture)))),
            "{answer}", "Listing answers (A, TXT, ANY) by band");
        meter.CreateObservableCounter<long>("dnsfp.server.rate_limited", () =>
        {
            var (dropped, slipped) = queries.RateLimits;
            return (IEnumerable<Measurement<long>>)[new Measurement<long>(dropped, Tag("action", "dropped")), new Measurement<long>(slipped, Tag("action", "slipped"))];
        }, "{response}", "Responses response rate limiting dropped, or sent truncated (slipped)");
        meter.CreateObservableCounter("dnsfp.server.tcp.connections", () => listeners.TcpListeners.Sum(l => l.Accepted),
            "{connection}", "TCP connections accepted");
        meter.CreateObservableUpDownCounter("dnsfp.server.tcp.open", () => listeners.TcpListeners.Sum(l => l.Counts.Open),
            "{connection}", "TCP connections open now");
        meter.CreateObservableUpDownCounter<long>("dnsfp.server.index.entries", () =>
        {
            var (v4, v6) = index.Addresses.Counts;
            return (IEnumerable<Measurement<long>>)[new Measurement<long>(v4, Tag("family", "ipv4")), new Measurement<long>(v6, Tag("family", "ipv6"))];
        }, "{address}", "Addresses in the in-memory index, by family");
        meter.CreateObservableUpDownCounter("dnsfp.server.index.labels", () => (long)index.Labels.Count,
            "{label}", "OS labels in the in-memory index");
        meter.CreateObservableGauge("dnsfp.server.index.age", () => health.IndexAgeSeconds is { } age ? [new Measurement<double>(age)] : Array.Empty<Measurement<double>>(),
            "s", "Seconds since the index was last in step with Redis' change feeds");
        meter.CreateObservableUpDownCounter("dnsfp.server.delistings", () => (long)index.Policy.Delistings.Count,
            "{delisting}", "Delistings in force");
        meter.CreateObservableUpDownCounter("dnsfp.server.fold.backlog", () => health.FoldBacklog is >= 0 and var b ? [new Measurement<long>(b)] : Array.Empty<Measurement<long>>(),
            "{fact}", "Facts appended by agents and not folded yet");
        meter.CreateObservableGauge("dnsfp.server.redis.up", () => redis.IsConnected && health.RedisRoundTripSeconds >= 0 ? 1 : 0,
            null, "1 when Redis answered the last health probe");
        _folded = meter.CreateCounter<long>("dnsfp.server.fold.facts", "{fact}", "Facts this server folded");
        _swept = meter.CreateCounter<long>("dnsfp.server.sweep.removed", "{address}", "Expired or excluded addresses the sweep removed from Redis");
        _foldDelay = meter.CreateHistogram("dnsfp.server.fold.delay", "s", "From an agent's append of a fact to this server's fold of it",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DelayBuckets });
        _indexDelay = meter.CreateHistogram("dnsfp.server.index.delay", "s", "From a fold's write of a change to its arrival in this server's index",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DelayBuckets });
    }

    public void Folded(int facts) => _folded.Add(facts);

    public void Swept(long removed) { if (removed > 0) _swept.Add(removed); }

    /// <summary>A fact written at <paramref name="appendedMs"/> (its stream id, Redis' clock) was folded at <paramref name="nowMs"/>.</summary>
    public void FactFolded(long appendedMs, long nowMs) => _foldDelay.Record(Math.Max(0, nowMs - appendedMs) / 1000.0);

    /// <summary>A change written at <paramref name="writtenMs"/> (its feed entry's id) reached the index at <paramref name="nowMs"/>.</summary>
    public void ChangeApplied(long writtenMs, long nowMs) => _indexDelay.Record(Math.Max(0, nowMs - writtenMs) / 1000.0);

    /// <summary>The milliseconds part of a stream entry id ("1733600000000-3"); null when it is not one.</summary>
    public static long? StreamIdMilliseconds(RedisValue id)
    {
        string? text = id;
        int dash = text?.IndexOf('-', StringComparison.Ordinal) ?? -1;
        return dash > 0 && long.TryParse(text.AsSpan(0, dash), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long ms) ? ms : null;
    }

    private static string TransportName(AnswerEngine.Transport t) => t == AnswerEngine.Transport.Tcp ? "tcp" : "udp";

    private static KeyValuePair<string, object?> Tag(string name, string value) => new(name, value);
}
