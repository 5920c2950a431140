using DnsFp.Server.Engine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace DnsFp.Server.Transfer;

/// <summary>
/// The transfer settings in force: the parsed rules and the TSIG keys of Transfer:KeyFile. Validated at start (a
/// missing, unreadable or world-readable key file stops the start with the reason), and rebuilt when the settings are
/// re-read (SIGHUP): a reload that does not validate is logged and the rules in force stay, as for the query ACL.
/// </summary>
internal sealed partial class TransferPolicy : IDisposable
{
    public sealed record Rules(IReadOnlyList<TransferRule> Allow, IReadOnlyList<TransferRule> Notify, IReadOnlyDictionary<string, TsigKey> Keys, int MessageSize, TimeSpan NotifyInterval)
    {
        /// <summary>Whether a client at this address, signing with <paramref name="key"/> (null: unsigned), may transfer.</summary>
        public bool Allows(in Client client, TsigKey? key)
        {
            foreach (var rule in Allow)
            {
                bool inRange = client.IsV4 ? rule.Range.IsV4 && Contains(rule.Range.V4Bounds(), client.V4) : !rule.Range.IsV4 && Contains(rule.Range.V6Bounds(), client.Address);
                if (inRange && (rule.KeyName is null || rule.KeyName == key?.Name)) return true;
            }
            return false;
        }

        private static bool Contains<T>((T First, T Last) bounds, T value) where T : IComparable<T> =>
            value.CompareTo(bounds.First) >= 0 && value.CompareTo(bounds.Last) <= 0;
    }

    private volatile Rules _current;
    private readonly IDisposable _subscription;
    private readonly IConfiguration _configuration;
    private readonly ILogger _logger;

    public TransferPolicy(IOptions<TransferOptions> options, IConfiguration configuration, ILogger<TransferPolicy> logger)
    {
        _configuration = configuration; _logger = logger;
        _current = Build(options.Value);
        if (_current.Allow.Count > 0 || _current.Notify.Count > 0) LogInForce(logger, _current.Allow.Count, _current.Notify.Count, _current.Keys.Count);
        _subscription = ChangeToken.OnChange(configuration.GetReloadToken, Reload);
    }

    public Rules Current => _current;

    private void Reload()
    {
        var o = new TransferOptions();
        _configuration.GetSection("Transfer").Bind(o);
        var problems = new TransferOptionsValidator().Validate("Transfer", o).Failures?.ToList() ?? [];
        if (problems.Count > 0) { LogReloadFailed(_logger, string.Join("; ", problems)); return; }
        var rules = Build(o);
        bool same = rules.Allow.SequenceEqual(_current.Allow) && rules.Notify.SequenceEqual(_current.Notify) && rules.Keys.Count == _current.Keys.Count;
        _current = rules;
        if (!same) LogInForce(_logger, rules.Allow.Count, rules.Notify.Count, rules.Keys.Count);
    }

    /// <summary>From validated options (TransferOptions.Validate has parsed every rule and the key file).</summary>
    public static Rules Build(TransferOptions o)
    {
        static List<TransferRule> Parse(IEnumerable<string> lines, bool notify) =>
            [.. lines.Select(l => TransferRule.TryParse(l, notify, out var r, out var problem) ? r : throw new FormatException(problem))];
        var keys = string.IsNullOrWhiteSpace(o.KeyFile) ? new Dictionary<string, TsigKey>() : TsigKeyFile.Load(o.KeyFile);
        return new Rules(Parse(o.Allow, false), Parse(o.Notify, true), keys, o.MessageSize, o.NotifyInterval);
    }

    public void Dispose() => _subscription.Dispose();

    [LoggerMessage(900, LogLevel.Information, "Zone transfers: {Allow} Transfer:Allow rules, {Notify} NOTIFY targets, {Keys} TSIG keys")]
    private static partial void LogInForce(ILogger logger, int allow, int notify, int keys);

    [LoggerMessage(901, LogLevel.Error, "Transfer settings not reloaded: {Problem}; the rules in force stay")]
    private static partial void LogReloadFailed(ILogger logger, string problem);
}
