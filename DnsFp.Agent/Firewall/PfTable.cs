using System.Net;
using DnsFp.Agent.Hosting;
using DnsFp.Agent.Spool;

namespace DnsFp.Agent.Firewall;

/// <summary>
/// A PF table replaced with "pfctl -t TABLE -T replace -f FILE": pfctl loads the file and swaps the table's content
/// in one ioctl, so pf never sees it half-filled. FILE is in the agent's state folder, so the doas/sudo line that
/// allows exactly this invocation (deploy/pf/doas.conf) names a fixed path.
/// </summary>
internal sealed class PfTable(ExternalCommand pfctl, string table, string file) : IFirewallTable
{
    public string Name => $"PF table {table}";

    public async Task ReplaceAsync(IReadOnlyList<IPAddress> addresses, CancellationToken stop)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        AtomicFile.Write(file, string.Concat(addresses.Select(a => a + "\n")));
        await pfctl.RunAsync(["-t", table, "-T", "replace", "-f", file], stop);
    }
}
