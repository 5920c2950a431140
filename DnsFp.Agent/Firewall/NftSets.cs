using System.Net;
using System.Net.Sockets;
using System.Text;
using DnsFp.Agent.Hosting;
using DnsFp.Agent.Spool;

namespace DnsFp.Agent.Firewall;

/// <summary>
/// The nftables sets "listed4" (ipv4_addr) and "listed6" (ipv6_addr) of table "inet TABLE", replaced by one
/// "nft -f FILE" whose flush and add commands are one transaction: the ruleset never sees an empty or half-filled
/// set. The table and sets come from the operator's ruleset (deploy/nftables/dnsfp.nft); nft needs CAP_NET_ADMIN only.
/// </summary>
internal sealed class NftSets(ExternalCommand nft, string table, string file) : IFirewallTable
{
    private const int ElementsPerLine = 1000;

    public string Name => $"nftables sets inet {table} listed4/listed6";

    public async Task ReplaceAsync(IReadOnlyList<IPAddress> addresses, CancellationToken stop)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        AtomicFile.Write(file, Script(table, addresses));
        await nft.RunAsync(["-f", file], stop);
    }

    /// <summary>The transaction: flush both sets, then add the elements (an "add element" with no element is a syntax error, so none is written).</summary>
    internal static string Script(string table, IReadOnlyList<IPAddress> addresses)
    {
        var s = new StringBuilder();
        s.Append("flush set inet ").Append(table).Append(" listed4\n");
        s.Append("flush set inet ").Append(table).Append(" listed6\n");
        foreach (var (set, family) in new[] { ("listed4", AddressFamily.InterNetwork), ("listed6", AddressFamily.InterNetworkV6) })
        {
            foreach (var line in addresses.Where(a => a.AddressFamily == family).Chunk(ElementsPerLine))
                s.Append("add element inet ").Append(table).Append(' ').Append(set).Append(" { ").AppendJoin(", ", line.Select(a => a.ToString())).Append(" }\n");
        }
        return s.ToString();
    }
}
