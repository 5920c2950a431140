using System.Net;
using DnsFp.Agent.Fingerprints;
using DnsFp.Agent.Fingerprints.PfOs;
using DnsFp.Tests.Support;

namespace DnsFp.Tests.Agent.Fingerprints;

/// <summary>
/// pf_osfp.c's rules, one row each, over a small pf.os written here: window forms (n, *, %n, Sn with the MSS and
/// with 1460, Tn with MSS+40 and 1500), TTL window (0..40 below the signature), DF, size, option layout, MSS and
/// window-scale forms, T0, unsupported options, file order, the IPv6 twin of every line.
/// </summary>
public sealed class PfOsMatcherTests
{
    private static readonly string[] Database =
    [
        "# window:ttl:df:size:options:class:version:subtype:description",
        "S4:64:1:60:M*,S,T,N,W0:\tLinux:2.4::Linux 2.4 by MSS",
        "T4:64:1:60:M*,S,T,N,W0:\tLinux:2.4:mtu:Linux 2.4 by MTU",
        "%8192:128:1:48:M*,N,N,S:\tWindows:2000:mod:window a multiple of 8192",
        "16384:64:0:44:M512:\tFreeBSD:4.0::no DF, fixed MSS",
        "*:64:1:*:M%100,N,W%2:\tWild:card::any window and size",
        "65535:64:1:64:M*,N,W1,N,N,T0,N,N,S:\tOpenBSD:3.0::timestamp zero",
        "32768:64:1:52:M1460,N,W*,N,N,S:\t@Generic:thing::approximate",
        "S4:64:1:60:M*,S,T,N,W0:\tShadowed:never::same as line 2, later",
    ];

    private static readonly PfOsMatcher Matcher = new("test pf.os", PfOsDatabase.Parse(Database));

    private static readonly SynBuilder Linux = new()
    {
        Window = 4 * 1460,
        Ttl = 64,
        DontFragment = true,
        Options = SynBuilder.Join(SynBuilder.Mss(1460), SynBuilder.SackPermitted, SynBuilder.Timestamp(99), SynBuilder.Nop, SynBuilder.WindowScale(0)),
    };
    private static readonly SynBuilder FreeBsd = new() { Window = 16384, Ttl = 64, DontFragment = false, Options = SynBuilder.Mss(512) };
    private static readonly SynBuilder Windows = new() { Window = 24576, Ttl = 128, Options = SynBuilder.Join(SynBuilder.Mss(1460), SynBuilder.Nop, SynBuilder.Nop, SynBuilder.SackPermitted) };
    private static readonly SynBuilder Wild = new() { Window = 1234, Ttl = 60, Options = SynBuilder.Join(SynBuilder.Mss(1400), SynBuilder.Nop, SynBuilder.WindowScale(4)) };
    private static readonly SynBuilder OpenBsd = new()
    {
        Window = 65535,
        Ttl = 64,
        Options = SynBuilder.Join(SynBuilder.Mss(1460), SynBuilder.Nop, SynBuilder.WindowScale(1), SynBuilder.Nop, SynBuilder.Nop, SynBuilder.Timestamp(0), SynBuilder.Nop, SynBuilder.Nop, SynBuilder.SackPermitted),
    };
    private static readonly SynBuilder Generic = new()
    {
        Window = 32768,
        Ttl = 64,
        Options = SynBuilder.Join(SynBuilder.Mss(1460), SynBuilder.Nop, SynBuilder.WindowScale(9), SynBuilder.Nop, SynBuilder.Nop, SynBuilder.SackPermitted),
    };
    private static readonly IPAddress V6Source = IPAddress.Parse("2001:db8::1"), V6Destination = IPAddress.Parse("2001:db8::25");

    public static readonly (string Case, SynBuilder Syn, string Label)[] Cases =
    [
        ("window 4 x the SYN's MSS", Linux, "Linux 2.4"),
        ("window 4 x another MSS", Linux with { Window = 4 * 1360, Options = SynBuilder.Join(SynBuilder.Mss(1360), SynBuilder.SackPermitted, SynBuilder.Timestamp(9), SynBuilder.Nop, SynBuilder.WindowScale(0)) }, "Linux 2.4"),
        ("window 4 x 1460 although the MSS was rewritten", Linux with { Options = SynBuilder.Join(SynBuilder.Mss(1360), SynBuilder.SackPermitted, SynBuilder.Timestamp(9), SynBuilder.Nop, SynBuilder.WindowScale(0)) }, "Linux 2.4"),
        ("window 4 x (MSS + 40)", Linux with { Window = 4 * 1500 }, "Linux 2.4 mtu"),
        ("window 4 x 1500 with another MSS", Linux with { Window = 4 * 1500, Options = SynBuilder.Join(SynBuilder.Mss(1000), SynBuilder.SackPermitted, SynBuilder.Timestamp(9), SynBuilder.Nop, SynBuilder.WindowScale(0)) }, "Linux 2.4 mtu"),
        ("window 5 x MSS fits neither", Linux with { Window = 5 * 1460 }, "unknown"),
        ("TTL 40 below the signature", Linux with { Ttl = 24 }, "Linux 2.4"),
        ("TTL 41 below the signature", Linux with { Ttl = 23 }, "unknown"),
        ("TTL above the signature", Linux with { Ttl = 65 }, "unknown"),
        ("DF missing", Linux with { DontFragment = false }, "unknown"),
        ("window scale 1 where the signature says W0", Linux with { Options = SynBuilder.Join(SynBuilder.Mss(1460), SynBuilder.SackPermitted, SynBuilder.Timestamp(9), SynBuilder.Nop, SynBuilder.WindowScale(1)) }, "unknown"),
        ("options in another order", Linux with { Options = SynBuilder.Join(SynBuilder.SackPermitted, SynBuilder.Mss(1460), SynBuilder.Timestamp(9), SynBuilder.Nop, SynBuilder.WindowScale(0)) }, "unknown"),
        ("exact MSS", FreeBsd, "FreeBSD 4.0"),
        ("another MSS", FreeBsd with { Options = SynBuilder.Mss(513) }, "unknown"),
        ("DF set where the signature has none", FreeBsd with { DontFragment = true }, "unknown"),
        ("size 4 bytes over", FreeBsd with { Payload = new byte[4] }, "unknown"),
        ("window a multiple of 8192", Windows, "Windows 2000 mod"),
        ("window not a multiple of 8192", Windows with { Window = 24577 }, "unknown"),
        ("any window and size, MSS %100, scale %2", Wild, "Wild card"),
        ("MSS not a multiple of 100", Wild with { Options = SynBuilder.Join(SynBuilder.Mss(1450), SynBuilder.Nop, SynBuilder.WindowScale(4)) }, "unknown"),
        ("odd window scale", Wild with { Options = SynBuilder.Join(SynBuilder.Mss(1400), SynBuilder.Nop, SynBuilder.WindowScale(3)) }, "unknown"),
        ("timestamp zero (T0)", OpenBsd, "OpenBSD 3.0"),
        ("timestamp not zero where T0 is required", OpenBsd with { Options = SynBuilder.Join(SynBuilder.Mss(1460), SynBuilder.Nop, SynBuilder.WindowScale(1), SynBuilder.Nop, SynBuilder.Nop, SynBuilder.Timestamp(5), SynBuilder.Nop, SynBuilder.Nop, SynBuilder.SackPermitted) }, "unknown"),
        ("generic (@) line, any window scale", Generic, "Generic thing"),
        ("SACK blocks pf does not know", Linux with { Options = SynBuilder.Join(SynBuilder.Mss(1460), [5, 10, 0, 0, 0, 1, 0, 0, 0, 2], SynBuilder.Nop, SynBuilder.Nop) }, "unknown"),
        ("TCP Fast Open option", Linux with { Options = SynBuilder.Join(SynBuilder.Mss(1460), SynBuilder.SackPermitted, SynBuilder.Timestamp(9), SynBuilder.Nop, SynBuilder.WindowScale(0), [34, 2, 1, 1]) }, "unknown"),
        ("option length past the header", Linux with { Options = [2, 4, 5, 0xB4, 3, 9, 0, 0] }, "unknown"),
        ("end-of-options stops the list (what follows is not read)", Wild with { Options = SynBuilder.Join(SynBuilder.Mss(1400), SynBuilder.Nop, SynBuilder.WindowScale(4), SynBuilder.Eol, [0x77, 0x77, 0x77]) }, "Wild card"),
        ("the same length taken by the size (4 bytes more than the line's 60)", Linux with { Options = SynBuilder.Join(SynBuilder.Mss(1460), SynBuilder.SackPermitted, SynBuilder.Timestamp(9), SynBuilder.Nop, SynBuilder.WindowScale(0), SynBuilder.Eol, [0, 0, 0]) }, "unknown"),
        ("IPv6: the line's twin (size + 20, DF implied)", Linux with { Source = V6Source, Destination = V6Destination }, "Linux 2.4"),
        ("IPv6 matches a no-DF line through its twin", FreeBsd with { Source = V6Source, Destination = V6Destination }, "FreeBSD 4.0"),
        ("IPv4 of IPv6 size matches the twin too (pf does not compare the family)", Linux with { IpOptions = new byte[20].Select(_ => (byte)1).ToArray() }, "Linux 2.4"),
    ];

    [Fact]
    public void Every_case_gets_pfs_answer()
    {
        var failures = new List<string>();
        foreach (var (name, syn, label) in Cases)
        {
            var result = Matcher.Fingerprint(SynSupport.Parse(syn));
            if (result?.Label != label) failures.Add($"{name}: expected '{label}', got '{result?.Label ?? "(no verdict)"}'");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void First_line_in_file_order_wins_and_generic_lines_say_so()
    {
        Assert.Equal(2, Matcher.Match(SynSupport.Parse(Linux))!.Line);
        Assert.Equal(new SynFingerprint("pf.os", "Generic thing", "generic", true), Matcher.Fingerprint(SynSupport.Parse(Generic)));
        Assert.Equal(new SynFingerprint("pf.os", "Linux 2.4", "exact", true), Matcher.Fingerprint(SynSupport.Parse(Linux)));
    }

    [Fact]
    public void Syn_ack_is_not_fingerprinted()
    {
        Assert.Null(Matcher.Fingerprint(SynSupport.Parse(Linux with { Flags = 0x12 })));
        Assert.NotNull(Matcher.Fingerprint(SynSupport.Parse(Linux with { Flags = 0x02 | 0x01 })));   // SYN+FIN: pf only tests SYN and ACK
    }

    [Fact]
    public void Bad_lines_are_reported_with_their_numbers_and_skipped()
    {
        var database = PfOsDatabase.Parse(
        [
            "S4:64:1:60:M*,S,T,N,W0:Linux:2.4::fine",
            "S4:64:1:60",
            "X4:64:1:60:M*:Linux:2.4::bad window",
            "S4:300:1:60:M*:Linux:2.4::ttl",
            "S4:64:2:60:M*:Linux:2.4::df",
            "S4:64:1:60:M*:nomatch:1::reserved",
            "S4:64:1:60:Mx:Linux:2.4::bad mss",
            "S4:64:1:60:M*:Linux:2.4::desc:excess",
            "  # comment only",
            "S4:64:1:60:M*:Linux:2.4:x:d",
        ]);
        Assert.Equal([2, 3, 4, 5, 6, 7, 8, 10], database.Problems.Select(p => p.Line));
        Assert.Single(database.Signatures);
        Assert.Contains("ttl value 300 > 255", database.Problems[2].Message);
        Assert.Contains("too short OS description", database.Problems[7].Message);
    }

    [Fact]
    public void Real_pf_os_loads_without_problems_and_every_line_is_reachable_or_shadowed_by_an_earlier_one()
    {
        const string path = "/usr/share/doc/nftables/examples/pf.os";      // Debian's copy (nftables, installed by .ci/run)
        if (!File.Exists(path)) return;
        var database = PfOsDatabase.Parse(File.ReadLines(path));
        Assert.Empty(database.Problems);
        var matcher = new PfOsMatcher(path, database);
        int itself = 0;
        foreach (var s in database.Signatures)
        {
            // pf_osfp_validate's percolation: a SYN built from the signature, wildcards filled.
            int mss = s.MssForm == PfOsValueForm.Exact ? s.Mss : s.MssForm == PfOsValueForm.Modulo ? s.Mss * 2 : 1460;
            int window = s.WindowForm switch
            {
                PfOsValueForm.MssMultiple => s.Window * mss,
                PfOsValueForm.MtuMultiple => s.Window * (mss + 40),
                PfOsValueForm.Modulo => s.Window * 2,
                PfOsValueForm.Any => 4321,
                _ => s.Window,
            };
            if (window > 65535 || s.Options.Contains(PfOsOption.Unnamed)) continue;
            int scale = s.WindowScaleForm == PfOsValueForm.Any ? 5 : s.WindowScaleForm == PfOsValueForm.Modulo ? s.WindowScale * 2 : s.WindowScale;
            var options = s.Options.Select(o => o switch
            {
                PfOsOption.Nop => SynBuilder.Nop,
                PfOsOption.Mss => SynBuilder.Mss(mss),
                PfOsOption.WindowScale => SynBuilder.WindowScale(scale),
                PfOsOption.SackPermitted => SynBuilder.SackPermitted,
                _ => SynBuilder.Timestamp(s.TimestampZero ? 0u : 7u),
            }).SelectMany(b => b).ToArray();
            if (options.Length % 4 != 0) options = [.. options, .. new byte[4 - options.Length % 4]];
            int size = 40 + options.Length;
            if (s.PacketSizeForm == PfOsValueForm.Exact && s.PacketSize != size) continue;   // pads pf.os describes but we cannot build
            var syn = new SynBuilder { Window = window, Ttl = s.Ttl, DontFragment = s.DontFragment, Options = options };
            var match = matcher.Match(SynSupport.Parse(syn));
            Assert.True(match is not null && match.Line <= s.Line, $"line {s.Line} ({s.Label}): got {(match is null ? "unknown" : $"line {match.Line}")}");
            if (match!.Line == s.Line) itself++;
        }
        Assert.True(itself > 100, $"only {itself} pf.os lines matched their own SYN");
    }
}
