namespace DnsFp.Agent.Fingerprints.PfOs;

/// <summary>How a pf.os number field compares with the packet's: equal, don't care ("*"), a multiple ("%n"),
/// or for the window n × MSS ("Sn") or n × (MSS + 40) ("Tn").</summary>
internal enum PfOsValueForm { Exact, Any, Modulo, MssMultiple, MtuMultiple }

/// <summary>The TCP options pf distinguishes, in the order they appeared.</summary>
internal enum PfOsOption : byte { Nop = 1, Mss = 2, WindowScale = 3, SackPermitted = 4, Timestamp = 5, Unnamed = 0 }

/// <summary>
/// One pf.os line ("window:ttl:df:size:options:class:version:subtype:description", pf.os(5)) as pfctl loads it,
/// plus the IPv6 twin pfctl adds for every line (DF forced on, packet size + 20).
/// </summary>
internal sealed record PfOsSignature
{
    public required int Line { get; init; }
    public required int Window { get; init; }
    public required PfOsValueForm WindowForm { get; init; }
    public required int Ttl { get; init; }
    public required bool DontFragment { get; init; }
    public required int PacketSize { get; init; }
    public required PfOsValueForm PacketSizeForm { get; init; }
    public required PfOsOption[] Options { get; init; }
    public required int Mss { get; init; }
    public required PfOsValueForm MssForm { get; init; }
    public required int WindowScale { get; init; }
    public required PfOsValueForm WindowScaleForm { get; init; }
    /// <summary>"T0": a timestamp option whose first value is zero.</summary>
    public required bool TimestampZero { get; init; }
    public required string Class { get; init; }
    public required string Version { get; init; }
    public required string Subtype { get; init; }
    /// <summary>The class carried pf.os' "@" prefix: a generic, approximate signature.</summary>
    public required bool Generic { get; init; }

    /// <summary>"Class Version Subtype" without empty parts, as pfctl and tcpdump -o print an OS.</summary>
    public string Label => string.Join(' ', new[] { Class, Version, Subtype }.Where(p => p.Length > 0));

    /// <summary>The IPv6 twin pfctl registers right after each line: DF always set, 20 bytes more of IP header.</summary>
    public PfOsSignature AsIpv6() => this with { DontFragment = true, PacketSize = PacketSize + 20 };
}
