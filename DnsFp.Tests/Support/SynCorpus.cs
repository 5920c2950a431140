using System.Net;
using DnsFp.Agent.Fingerprints.P0fFp;

namespace DnsFp.Tests.Support;

/// <summary>
/// SYNs for conformance runs against p0f: one or more per [tcp:request] signature of a p0f.fp (wildcards filled in,
/// quirks put on the wire), each with mutations around the edges the matcher decides on (TTL distance 0/35/36 and
/// above the initial TTL, df gone, ecn added, window off by one), plus hand-made odd packets. Every SYN gets its own
/// source address and port, so results can be joined on them.
/// </summary>
public static class SynCorpus
{
    public static List<SynBuilder> FromP0fDatabase(string path)
    {
        var database = P0fDatabase.Parse(File.ReadLines(path));
        var syns = new List<SynBuilder>();
        foreach (var signature in database.SynSignatures)
        {
            foreach (int version in signature.IpVersion == -1 ? new[] { 4, 6 } : [signature.IpVersion])
            {
                if (Synthesize(signature, version) is not { } baseSyn) continue;
                int ittl = signature.Ttl;
                syns.Add(baseSyn with { Ttl = Math.Max(1, ittl - 3) });
                syns.Add(baseSyn with { Ttl = ittl });
                if (ittl > 35) syns.Add(baseSyn with { Ttl = ittl - 35 });
                if (ittl > 36) syns.Add(baseSyn with { Ttl = ittl - 36 });
                if (ittl < 255) syns.Add(baseSyn with { Ttl = ittl + 1 });
                if (version == 4 && baseSyn.DontFragment) syns.Add(baseSyn with { Ttl = ittl - 1, DontFragment = false });
                syns.Add(baseSyn with { Ttl = ittl - 2, Flags = baseSyn.Flags | 0x40 | 0x80 });
                syns.Add(baseSyn with { Ttl = ittl - 2, Window = baseSyn.Window == 65535 ? 65534 : baseSyn.Window + 1 });
            }
        }
        return syns;
    }

    /// <summary>A SYN the signature should match, or null when its layout cannot be put on the wire unpadded.</summary>
    private static SynBuilder? Synthesize(P0fTcpSignature s, int version)
    {
        var q = s.Quirks;
        if (q.HasFlag(P0fQuirks.BadOptions) || q.HasFlag(P0fQuirks.ZeroAck)) return null;
        int mss = s.Mss >= 0 ? s.Mss : 1460;
        int scale = s.WindowScale >= 0 ? s.WindowScale : q.HasFlag(P0fQuirks.ExcessiveScale) ? 15 : 7;
        int window = s.WindowForm switch
        {
            P0fWindowForm.Normal => s.Window,
            P0fWindowForm.Modulo => s.Window * Math.Max(1, 3 * 1000 / s.Window),
            P0fWindowForm.MssMultiple => mss * s.Window,
            P0fWindowForm.MtuMultiple => (mss + 40) * s.Window,
            _ => 8192,
        };
        if (window > 65535) return null;
        var options = new List<byte>();
        foreach (var kind in s.OptionLayout)
        {
            options.AddRange(kind switch
            {
                0 => [0, .. Enumerable.Repeat((byte)0, s.EolPadding)],
                1 => SynBuilder.Nop,
                2 => SynBuilder.Mss(mss),
                3 => SynBuilder.WindowScale(scale),
                4 => SynBuilder.SackPermitted,
                5 => [5, 10, 0, 0, 0, 1, 0, 0, 0, 2],
                8 => SynBuilder.Timestamp(q.HasFlag(P0fQuirks.ZeroTimestamp1) ? 0u : 123456u, q.HasFlag(P0fQuirks.NonZeroTimestamp2) ? 77u : 0u),
                _ => [kind, 2],
            });
        }
        if (q.HasFlag(P0fQuirks.NonZeroEolPadding))
        {
            int eol = options.LastIndexOf(0);
            if (eol < 0 || options.Count - eol < 3) return null;
            options[eol + 1] = 0x55;                     // not the last byte: p0f does not see that one
        }
        if (options.Count % 4 != 0 || options.Count > 40) return null;
        int flags = 0x02 | (q.HasFlag(P0fQuirks.Urgent) ? 0x20 : 0) | (q.HasFlag(P0fQuirks.Push) ? 0x08 : 0) | (q.HasFlag(P0fQuirks.Ecn) ? 0x40 : 0);
        bool df = version == 4 && q.HasFlag(P0fQuirks.DontFragment);
        return new SynBuilder
        {
            Source = version == 6 ? IPAddress.Parse("2001:db8::1") : IPAddress.Parse("192.0.2.1"),
            Destination = version == 6 ? IPAddress.Parse("2001:db8::25") : IPAddress.Parse("198.51.100.25"),
            DontFragment = df,
            IpId = df ? (q.HasFlag(P0fQuirks.NonZeroId) ? 0x4321 : 0) : (q.HasFlag(P0fQuirks.ZeroId) ? 0 : 0x4321),
            ReservedIpFlag = q.HasFlag(P0fQuirks.NonZeroMustBeZero),
            FlowLabel = version == 6 && q.HasFlag(P0fQuirks.FlowLabel) ? 0x12345 : 0,
            IpOptions = Enumerable.Repeat((byte)1, s.IpOptionsLength).ToArray(),
            Sequence = q.HasFlag(P0fQuirks.ZeroSequence) ? 0 : 0x11223344u,
            Acknowledgment = q.HasFlag(P0fQuirks.NonZeroAck) ? 0x01000000u : 0,
            UrgentPointer = q.HasFlag(P0fQuirks.NonZeroUrgent) ? 7 : 0,
            Flags = flags,
            Window = window,
            Options = [.. options],
            Payload = s.PayloadClass == 1 ? new byte[12] : [],
        };
    }

    /// <summary>Packets off the beaten path: every option kind, broken option lists, IP options, fragments, flag mixes.</summary>
    public static List<SynBuilder> Odd()
    {
        var linux = new SynBuilder { Options = SynBuilder.LinuxOptions(), Window = 64240 };
        var list = new List<SynBuilder>
        {
            linux,
            linux with { Options = SynBuilder.Join(SynBuilder.Mss(1460), [5, 10, 0, 0, 0, 1, 0, 0, 0, 2], SynBuilder.Nop, SynBuilder.Nop) },   // SACK blocks
            linux with { Options = SynBuilder.Join(SynBuilder.LinuxOptions(), [34, 2, 1, 1]) },                                    // TFO cookie request
            linux with { Options = SynBuilder.Join(SynBuilder.Mss(1460), [30, 4, 0, 0]) },                                         // MPTCP
            linux with { Options = SynBuilder.Join(SynBuilder.Mss(1460), [254, 4, 0xF9, 0x89]) },                                  // experimental
            linux with { Options = SynBuilder.Join(SynBuilder.Mss(1460), [99, 1, 0, 0]) },                                         // option length 1
            linux with { Options = SynBuilder.Join(SynBuilder.Mss(1460), [99, 41, 0, 0]) },                                        // option past the header
            linux with { Options = [2, 5, 5, 0xB4, 0, 0, 0, 0] },                                                                   // MSS length 5
            linux with { Options = SynBuilder.Join(SynBuilder.Mss(1460), SynBuilder.Eol, [0, 0x77, 0]) },                          // non-zero EOL padding
            linux with { Options = SynBuilder.Join(SynBuilder.Mss(1460), SynBuilder.Eol, [0, 0, 0x77]) },                          // ... in the last byte
            linux with { Options = SynBuilder.Join(SynBuilder.Mss(1460), SynBuilder.Timestamp(0, 5), SynBuilder.Nop, SynBuilder.Nop) },
            linux with { Options = SynBuilder.Join(Enumerable.Repeat(SynBuilder.Nop, 28).ToArray()) },                             // > 24 options
            linux with { Options = [] , Window = 4128, Ttl = 255 },
            linux with { Options = SynBuilder.Mss(1460), Window = 16384, DontFragment = false, IpId = 0 },
            linux with { IpOptions = [1, 1, 1, 1] },
            linux with { Flags = 0x02 | 0x01 },                                                                                     // SYN+FIN: p0f ignores it
            linux with { Flags = 0x02 | 0x04 },                                                                                     // SYN+RST
            linux with { Flags = 0x02 | 0x40 | 0x80 },                                                                              // ECN setup SYN
            linux with { Flags = 0x02 | 0x20, UrgentPointer = 1 },
            linux with { Flags = 0x02 | 0x08 },
            linux with { UrgentPointer = 3 },
            linux with { Acknowledgment = 1 },                                                                                      // p0f reads a different bit
            linux with { Acknowledgment = 0x01000000 },
            linux with { Sequence = 0 },
            linux with { TrafficClass = 0x02 },
            linux with { ReservedIpFlag = true },
            linux with { ReservedTcpBits = 1 },
            linux with { Payload = new byte[20] },
            linux with { MoreFragments = true },                                                                                    // first fragment
            linux with { Options = SynBuilder.LinuxOptions(scale: 15) },
            linux with { Options = SynBuilder.LinuxOptions(mss: 1360), Window = 1360 * 20 },
            linux with { Options = SynBuilder.LinuxOptions(mss: 1448), Window = 1448 * 10 },                                        // mss - 12 with timestamps
            linux with { Options = SynBuilder.LinuxOptions(mss: 1400), Window = 1500 * 4 },                                         // MTU multiple
            linux with { Options = SynBuilder.LinuxOptions(mss: 1380), Window = (1380 + 40) * 4 },
            linux with { Options = SynBuilder.LinuxOptions(mss: 50), Window = 500 },                                                // MSS below 100
            linux with { Source = IPAddress.Parse("2001:db8::7"), Destination = IPAddress.Parse("2001:db8::25"), FlowLabel = 0xABCDE },
            linux with { Source = IPAddress.Parse("2001:db8::7"), Destination = IPAddress.Parse("2001:db8::25"), TrafficClass = 0x01 },
            linux with { Source = IPAddress.Parse("2001:db8::7"), Destination = IPAddress.Parse("2001:db8::25"), Options = SynBuilder.LinuxOptions(mss: 1440), Window = 1440 * 10 },
            new SynBuilder { Options = SynBuilder.Join(SynBuilder.Mss(1460), SynBuilder.Nop, SynBuilder.WindowScale(8), SynBuilder.Nop, SynBuilder.Nop, SynBuilder.SackPermitted), Window = 8192, Ttl = 128 },
            new SynBuilder { Options = SynBuilder.Join(SynBuilder.Mss(1460), SynBuilder.Nop, SynBuilder.WindowScale(6), SynBuilder.Nop, SynBuilder.Nop, SynBuilder.Timestamp(1), SynBuilder.SackPermitted, SynBuilder.Eol, [0]), Window = 65535 },
        };
        return list;
    }

    /// <summary>Gives each SYN its own source address and port.</summary>
    public static List<SynBuilder> Number(List<SynBuilder> syns)
    {
        for (int i = 0; i < syns.Count; i++)
        {
            var s = syns[i];
            var address = s.Source.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
                ? new IPAddress([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte)(i >> 16), (byte)(i >> 8), (byte)(i + 1)])
                : new IPAddress([10, (byte)(i >> 16), (byte)(i >> 8), (byte)(i + 1)]);
            syns[i] = s with { Source = address, SourcePort = 1024 + i % 60000 };
        }
        return syns;
    }
}
