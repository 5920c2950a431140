using System.Runtime.InteropServices;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DnsFp.Server.Hosting;

/// <summary>
/// On SIGHUP, re-reads every settings source (appsettings.json, /etc/dnsfp/server.json, the environment), so that
/// settings watched through IOptionsMonitor (the query ACL) take their new values without a restart, as NSD and
/// rbldnsd reload on SIGHUP. Settings that need a restart (listen addresses, Redis) are read only at start.
/// </summary>
internal sealed partial class SettingsReloader(IConfiguration configuration, ILogger<SettingsReloader> logger) : IHostedService, IDisposable
{
    private PosixSignalRegistration? _sighup;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (configuration is not IConfigurationRoot root) return Task.CompletedTask;
        _sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            context.Cancel = true;                                  // SIGHUP means reload, not stop
            try
            {
                root.Reload();
                LogReloaded(logger);
            }
            // a watcher that rejects the new values logs why itself; anything else is said here
            catch (Exception ex) when (ex is not OutOfMemoryException)            // a reload must never take the server down
            {
                LogReloadFailed(logger, ex.Message);
            }
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _sighup?.Dispose();

    [LoggerMessage(410, LogLevel.Information, "SIGHUP: settings re-read (the query ACL takes its new ranges; listen addresses and Redis need a restart)")]
    private static partial void LogReloaded(ILogger logger);

    [LoggerMessage(411, LogLevel.Error, "SIGHUP: settings could not be re-read: {Problem}; the settings in force stay")]
    private static partial void LogReloadFailed(ILogger logger, string problem);
}
