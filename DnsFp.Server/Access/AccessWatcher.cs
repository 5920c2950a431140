using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace DnsFp.Server.Access;

/// <summary>
/// Puts the ACL in force before the listeners open (invalid ranges then stop the start), and again whenever the
/// settings are re-read (SIGHUP, Hosting/SettingsReloader). A reload with an invalid range is logged and changes
/// nothing: the rules in force stay. Reloads read the configuration directly rather than through IOptionsMonitor,
/// whose validation would throw inside the reload.
/// </summary>
internal sealed partial class AccessWatcher(IOptions<AccessOptions> options, IConfiguration configuration, QueryAcl acl, ILogger<AccessWatcher> logger) : IHostedService
{
    private IDisposable? _subscription;
    private string _inForce = "";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Publish(options.Value);
        _subscription = ChangeToken.OnChange(configuration.GetReloadToken, Reload);
        return Task.CompletedTask;
    }

    private void Reload()
    {
        var o = new AccessOptions();
        configuration.GetSection("Server").Bind(o);
        var problems = new AccessOptionsValidator().Validate("Server", o).Failures?.ToList() ?? [];
        if (problems.Count > 0)
        {
            LogReloadFailed(logger, string.Join("; ", problems), acl.AllowCount, acl.DenyCount);
            return;
        }
        Publish(o);
    }

    private void Publish(AccessOptions o)
    {
        // the configuration raises one change per source: say it once, when the rules really change
        string rules = $"{string.Join(',', o.Allow)}|{string.Join(',', o.Deny)}|{o.DenyAction}";
        if (rules == _inForce) return;
        bool first = _inForce.Length == 0;
        _inForce = rules;
        acl.Publish(o);
        if (!first || o.Allow.Count > 0 || o.Deny.Count > 0) LogInForce(logger, o.Allow.Count, o.Deny.Count, o.DenyAction);
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _subscription?.Dispose();
        return Task.CompletedTask;
    }

    [LoggerMessage(800, LogLevel.Information, "Query ACL in force: {Allow} allowed ranges (none: everyone), {Deny} denied ranges; denied clients: {Action}")]
    private static partial void LogInForce(ILogger logger, int allow, int deny, DenyAction action);

    [LoggerMessage(801, LogLevel.Error, "Query ACL not reloaded: {Problem}; the rules in force stay ({Allow} allowed, {Deny} denied ranges)")]
    private static partial void LogReloadFailed(ILogger logger, string problem, int allow, int deny);
}
