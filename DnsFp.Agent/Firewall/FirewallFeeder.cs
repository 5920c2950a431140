using DnsFp.Agent.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DnsFp.Agent.Firewall;

/// <summary>
/// Every Firewall:Refresh, asks the dnsfp zone for what changed (IXFR from the serial held) and, when the chosen
/// addresses differ from what the table holds, replaces the table. A server that is away leaves the table as it is
/// (its last good set); a failed pfctl/nft run is logged once and retried after 1, 2, 4 … s, at most every
/// Refresh. Each table change is logged once with its size and what moved.
/// </summary>
internal sealed partial class FirewallFeeder(FirewallOptions options, IFirewallTable table, TimeProvider time, ILogger<FirewallFeeder> logger) : BackgroundService
{
    private readonly ZoneTransferClient _client = new(options.Zone.TrimEnd('.').ToLowerInvariant(), options.ServerEndPoint());
    private readonly BandList _bands = BandList.Parse(options.Bands);
    private readonly ListedAddresses _listed = new();
    private HashSet<System.Net.IPAddress>? _applied;
    private bool _changed;                                   // a transfer changed the listings since _applied was chosen
    private string? _transferProblem, _tableProblem;
    private int _leftOut;
    private ZoneTransfer.Form _lastForm;
    private TimeSpan _retry = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        LogStarting(logger, table.Name, options.Zone, options.Server, options.Bands, options.Refresh.TotalSeconds);
        while (!stop.IsCancellationRequested)
        {
            await RefreshAsync(stop);
            bool failing = _tableProblem is not null;
            var wait = failing ? Min(_retry, options.Refresh) : options.Refresh;
            if (failing) _retry = Min(_retry * 2, options.Refresh); else _retry = TimeSpan.FromSeconds(1);
            try { await Task.Delay(wait, time, stop); } catch (OperationCanceledException) { return; }
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    internal async Task RefreshAsync(CancellationToken stop)
    {
        try
        {
            var transfer = await _client.TransferAsync(_listed.Serial, _bands, stop);
            _listed.Apply(transfer);
            if (transfer.Kind != ZoneTransfer.Form.Current) { _lastForm = transfer.Kind; _changed = true; }
            if (_transferProblem is not null) LogTransferBack(logger, options.Server, transfer.Serial);
            _transferProblem = null;
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or TimeoutException or InvalidDataException or TransferRefusedException)
        {
            if (_transferProblem != ex.Message) LogTransferFailed(logger, options.Zone, options.Server, ex.Message, _applied?.Count ?? 0, table.Name);
            _transferProblem = ex.Message;
        }
        // before the first complete transfer nothing is known: the table keeps whatever it held
        if (_listed.Serial is not { } serial) return;
        // the usual refresh: nothing changed since the table was written, so there is nothing to choose or compare
        if (!_changed && _tableProblem is null) return;
        var (chosen, leftOut) = _listed.Choose(options.MaxEntries);
        if (leftOut != _leftOut && leftOut > 0) LogTableFull(logger, table.Name, options.MaxEntries, leftOut, chosen.Length + leftOut);
        _leftOut = leftOut;
        if (_applied is not null && _applied.SetEquals(chosen) && _tableProblem is null) { _changed = false; return; }
        try
        {
            await table.ReplaceAsync(chosen, stop);
            int added = _applied is null ? chosen.Length : chosen.Count(a => !_applied.Contains(a));
            int removed = _applied is null ? 0 : _applied.Count - (chosen.Length - added);
            if (_tableProblem is not null) LogTableBack(logger, table.Name);
            _tableProblem = null;
            _applied = [.. chosen];
            _changed = false;
            LogReplaced(logger, table.Name, chosen.Length, serial, _lastForm == ZoneTransfer.Form.Incremental ? "IXFR differences" : "full transfer", added, removed);
        }
        catch (ExternalCommandException ex)
        {
            if (_tableProblem != ex.Message) LogTableFailed(logger, table.Name, ex.Message);
            _tableProblem = ex.Message;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            if (_tableProblem != ex.Message) LogTableFailed(logger, table.Name, "cannot write the table file: " + ex.Message);
            _tableProblem = ex.Message;
        }
    }

    [LoggerMessage(950, LogLevel.Information, "Feeding {Table} from zone {Zone} at {Server}: bands {Bands}, checked every {Seconds} s")]
    private static partial void LogStarting(ILogger logger, string table, string zone, string server, string bands, double seconds);

    [LoggerMessage(951, LogLevel.Information, "{Table} now holds {Count} addresses (zone serial {Serial}, from a {Form}): {Added} in, {Removed} out")]
    private static partial void LogReplaced(ILogger logger, string table, int count, uint serial, string form, int added, int removed);

    [LoggerMessage(952, LogLevel.Warning, "Cannot transfer zone {Zone} from {Server} ({Reason}); {Table} keeps its last good {Count} addresses until it can")]
    private static partial void LogTransferFailed(ILogger logger, string zone, string server, string reason, int count, string table);

    [LoggerMessage(953, LogLevel.Information, "Zone transfers from {Server} work again (serial {Serial})")]
    private static partial void LogTransferBack(ILogger logger, string server, uint serial);

    [LoggerMessage(954, LogLevel.Error, "Could not update {Table}: {Reason}; it keeps what it held, retrying with back-off")]
    private static partial void LogTableFailed(ILogger logger, string table, string reason);

    [LoggerMessage(955, LogLevel.Information, "{Table} can be updated again")]
    private static partial void LogTableBack(ILogger logger, string table);

    [LoggerMessage(956, LogLevel.Warning, "{Table} is full (Firewall:MaxEntries {Max}): {LeftOut} of {Listed} listed addresses left out, the highest bands kept")]
    private static partial void LogTableFull(ILogger logger, string table, int max, int leftOut, int listed);
}
