using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DnsFp.Server.Access;

/// <summary>Puts the ACL in force before the listeners open, and again whenever the settings are re-read (SIGHUP, Hosting/SettingsReloader).</summary>
internal sealed partial class AccessWatcher(IOptionsMonitor<AccessOptions> options, QueryAcl acl, ILogger<AccessWatcher> logger) : IHostedService
{
    private IDisposable? _subscription;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Publish(options.CurrentValue, reload: false);
        _subscription = options.OnChange(o => Publish(o, reload: true));
        return Task.CompletedTask;
    }

    private void Publish(AccessOptions o, bool reload)
    {
        var problems = o.Validate(new(o)).Select(r => r.ErrorMessage).ToList();
        if (problems.Count > 0)
        {
            if (!reload) throw new FormatException(string.Join("; ", problems));
            LogReloadFailed(logger, string.Join("; ", problems), acl.AllowCount, acl.DenyCount);
            return;
        }
        acl.Publish(o);
        if (reload || o.Allow.Count > 0 || o.Deny.Count > 0) LogInForce(logger, o.Allow.Count, o.Deny.Count, o.DenyAction);
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
