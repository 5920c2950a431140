using System.Net;

namespace DnsFp.Agent.Firewall;

/// <summary>A firewall table dnsfp keeps: replaced as a whole, in one step of the firewall's own, with each change.</summary>
internal interface IFirewallTable
{
    /// <summary>What it is, for the log: "PF table dnsfp", "nftables sets inet dnsfp listed4/listed6".</summary>
    string Name { get; }

    Task ReplaceAsync(IReadOnlyList<IPAddress> addresses, CancellationToken stop);
}
