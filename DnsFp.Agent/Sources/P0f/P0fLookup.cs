using System.Net;
using System.Net.Sockets;
using DnsFp.Contract;
using Microsoft.Extensions.Logging;

namespace DnsFp.Agent.Sources.P0f;

/// <summary>
/// Asks p0f about the clients of a batch of mail-log lines before their verdicts are spooled, so each verdict
/// counts against the fingerprint p0f saw. An address asked about in the last <see cref="Recheck"/> is not asked
/// again. When p0f's socket is unreachable the verdicts still go on (logged once): fingerprints are best effort.
/// </summary>
internal sealed partial class P0fLookup(P0fApiClient client, TimeProvider time, ILogger<P0fLookup> logger)
{
    public static readonly TimeSpan Recheck = TimeSpan.FromMinutes(10);
    private readonly Dictionary<IPAddress, DateTimeOffset> _asked = [];
    private bool _down;

    public async Task<List<Fact>> ObserveAsync(IEnumerable<IPAddress> clients, long now, CancellationToken stop)
    {
        var due = new List<IPAddress>();
        var at = time.GetUtcNow();
        foreach (var ip in clients.Distinct())
            if (!_asked.TryGetValue(ip, out var until) || until < at) due.Add(ip);
        var facts = new List<Fact>();
        if (due.Count == 0) return facts;
        try
        {
            var replies = await client.QueryAsync(due, stop);
            for (int i = 0; i < due.Count; i++)
            {
                _asked[due[i]] = at + Recheck;
                var r = replies[i];
                if (r.Result != P0fApiReply.Status.Ok) continue;                  // p0f never saw this client
                string label = r.OsName.Length == 0 ? OsLabel.Unknown : r.Label;
                string cls = r.OsName.Length == 0 ? OsLabel.Unknown : r.OsName;
                facts.Add(Fact.Observation(Fact.MakeId("p0f", due[i].ToString(), label), due[i], label, now, ObservationSources.P0f, cls));
            }
            if (_down) { _down = false; LogBack(logger); }
            if (_asked.Count > 200_000) foreach (var old in _asked.Where(kv => kv.Value < at).Select(kv => kv.Key).ToList()) _asked.Remove(old);
        }
        catch (Exception ex) when (ex is SocketException or IOException)
        {
            if (!_down) LogDown(logger, ex.Message);
            _down = true;
        }
        return facts;
    }

    [LoggerMessage(900, LogLevel.Warning, "p0f API unreachable ({Reason}); verdicts go on without fingerprints until it answers")]
    private static partial void LogDown(ILogger logger, string reason);

    [LoggerMessage(901, LogLevel.Information, "p0f API answers again")]
    private static partial void LogBack(ILogger logger);
}
