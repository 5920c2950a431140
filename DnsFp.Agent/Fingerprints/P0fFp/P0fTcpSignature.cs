namespace DnsFp.Agent.Fingerprints.P0fFp;

/// <summary>How a p0f window size compares: a number, "*", "%n", "mss*n" or "mtu*n".</summary>
internal enum P0fWindowForm { Normal, Any, Modulo, MssMultiple, MtuMultiple }

/// <summary>p0f's TCP quirks (the "quirks" field of a signature), one bit each.</summary>
[Flags]
internal enum P0fQuirks
{
    None = 0,
    DontFragment = 1 << 0,      // df
    NonZeroId = 1 << 1,         // id+
    ZeroId = 1 << 2,            // id-
    Ecn = 1 << 3,               // ecn
    NonZeroMustBeZero = 1 << 4, // 0+
    FlowLabel = 1 << 5,         // flow
    ZeroSequence = 1 << 6,      // seq-
    NonZeroAck = 1 << 7,        // ack+
    ZeroAck = 1 << 8,           // ack-
    NonZeroUrgent = 1 << 9,     // uptr+
    Urgent = 1 << 10,           // urgf+
    Push = 1 << 11,             // pushf+
    ZeroTimestamp1 = 1 << 12,   // ts1-
    NonZeroTimestamp2 = 1 << 13,// ts2+
    NonZeroEolPadding = 1 << 14,// opt+
    ExcessiveScale = 1 << 15,   // exws
    BadOptions = 1 << 16,       // bad
}

/// <summary>
/// A TCP signature, "ver:ittl:olen:mss:wsize,scale:olayout:quirks:pclass" (p0f 3 README), with the label it sits
/// under. Also the shape of what p0f observes on a SYN, so one matcher compares both.
/// </summary>
internal sealed record P0fTcpSignature
{
    public int Line { get; init; }
    /// <summary>4, 6, or -1 for "*".</summary>
    public required int IpVersion { get; init; }
    public required int Ttl { get; init; }
    /// <summary>"ittl-": the tool picks random TTLs; only "not above" is checked.</summary>
    public bool RandomTtl { get; init; }
    public required int IpOptionsLength { get; init; }
    /// <summary>-1 for "*".</summary>
    public required int Mss { get; init; }
    public required int Window { get; init; }
    public required P0fWindowForm WindowForm { get; init; }
    /// <summary>-1 for "*".</summary>
    public required int WindowScale { get; init; }
    public required byte[] OptionLayout { get; init; }
    public required int EolPadding { get; init; }
    public required P0fQuirks Quirks { get; init; }
    /// <summary>-1 "*", 0 no payload, 1 payload.</summary>
    public required int PayloadClass { get; init; }
    public P0fLabel? Label { get; init; }
}

/// <summary>A "label = type:class:name:flavor" line: g(eneric) or s(pecific), "!" for userland tools.</summary>
internal sealed record P0fLabel(bool Generic, bool Userland, string Name, string? Flavor)
{
    /// <summary>"name flavor", exactly as p0f prints its os = / app = field.</summary>
    public string Text => Flavor is null ? Name : $"{Name} {Flavor}";
}
