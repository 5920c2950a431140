using System.Net;

namespace DnsFp.Agent.Sources.Pf.StateFormats;

/// <summary>One era of pfctl's state line. Reads the run of hosts and arrows: direction and the remote peer.</summary>
internal interface IPfStateFormat
{
    string Name { get; }

    bool TryRead(PfStateLine line, out bool inbound, out IPAddress remote);
}
