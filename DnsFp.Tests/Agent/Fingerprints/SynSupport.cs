using DnsFp.Agent.Fingerprints.Packets;
using DnsFp.Tests.Support;

namespace DnsFp.Tests.Agent.Fingerprints;

internal static class SynSupport
{
    /// <summary>The builder's datagram, read back by the agent's parser (which must take it as a SYN).</summary>
    public static TcpSyn Parse(SynBuilder builder)
    {
        Assert.Equal(PacketKind.Syn, TcpSynParser.Parse(builder.Build(), out var syn));
        return syn!;
    }
}
