using DnsFp.Agent.Hosting;

namespace DnsFp.Agent.Sources.Pf;

/// <summary>
/// Runs pfctl through the configured command (e.g. "doas -n /sbin/pfctl", allowed by deploy/pf/doas.conf for
/// exactly -vvss and -vvsr), so /dev/pf never has to be readable by the agent's user.
/// </summary>
internal sealed class PfctlRunner(string command)
{
    private readonly ExternalCommand _pfctl = new(command);

    public async Task<string[]> RunAsync(string argument, CancellationToken stop) => (await _pfctl.RunAsync([argument], stop)).Split('\n');
}
