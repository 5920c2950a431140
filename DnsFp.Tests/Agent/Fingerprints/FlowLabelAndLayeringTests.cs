using System.Net;
using DnsFp.Agent.Fingerprints;
using DnsFp.Agent.Fingerprints.P0fFp;
using DnsFp.Tests.Support;

namespace DnsFp.Tests.Agent.Fingerprints;

/// <summary>IPv6 SYNs with a flow label are named outside --p0f-compatible mode; layered databases: first match wins.</summary>
public sealed class FlowLabelAndLayeringTests
{
    private static readonly string[] Debian = ["classes = win,unix,other", "[tcp:request]", "label = s:unix:Linux:3.11 and newer", "sig   = *:64:0:*:mss*20,10:mss,sok,ts,nop,ws:df,id+:0"];
    private static readonly string[] Newer = ["classes = win,unix,other", "[tcp:request]", "label = s:win:Windows:10 or 11", "sig   = *:128:0:*:64240,8:mss,nop,ws,nop,nop,sok:df,id+:0"];

    private static SynBuilder LinuxV6(int flowLabel) => new()
    {
        Source = IPAddress.Parse("2001:db8::33"),
        Destination = IPAddress.Parse("2001:db8::25"),
        FlowLabel = flowLabel,
        Window = 1440 * 20,
        Options = SynBuilder.LinuxOptions(mss: 1440, scale: 10),
    };

    private static readonly SynBuilder Windows10 = new()
    {
        Source = IPAddress.Parse("192.0.2.34"),
        Ttl = 120,
        IpId = 7,
        Window = 64240,
        Options = SynBuilder.Join(SynBuilder.Mss(1460), SynBuilder.Nop, SynBuilder.WindowScale(8), SynBuilder.Nop, SynBuilder.Nop, SynBuilder.SackPermitted),
    };

    [Fact]
    public void An_ipv6_syn_with_a_flow_label_is_named_like_its_ipv4_twin_unless_p0f_compatible()
    {
        var withFlow = SynSupport.Parse(LinuxV6(0x5A5A5));
        var compatible = new P0fMatcher("p0f.fp", P0fDatabase.Parse(Debian), p0fCompatible: true).Fingerprint(withFlow)!;
        Assert.False(compatible.Matched);                                  // p0f 3.09b: "???"
        var named = new P0fMatcher("p0f.fp", P0fDatabase.Parse(Debian), p0fCompatible: false).Fingerprint(withFlow)!;
        Assert.Equal("Linux 3.11 and newer", named.Label);
        var noFlow = new P0fMatcher("p0f.fp", P0fDatabase.Parse(Debian), p0fCompatible: true).Fingerprint(SynSupport.Parse(LinuxV6(0)))!;
        Assert.Equal("Linux 3.11 and newer", noFlow.Label);               // without a flow label both modes agree
    }

    [Fact]
    public void Layered_databases_try_each_in_order_and_the_first_match_wins()
    {
        var dir = Directory.CreateTempSubdirectory("dnsfp-layers-").FullName;
        try
        {
            string newer = Path.Combine(dir, "newer.fp"), debian = Path.Combine(dir, "p0f.fp");
            File.WriteAllLines(newer, Newer);
            File.WriteAllLines(debian, Debian);
            var layered = SignatureDatabase.Load([newer, debian]);
            Assert.Equal("Windows 10 or 11", layered.Fingerprint(SynSupport.Parse(Windows10))!.Label);
            Assert.Equal("Linux 3.11 and newer", layered.Fingerprint(SynSupport.Parse(LinuxV6(0)))!.Label);
            Assert.False(SignatureDatabase.Load([debian]).Fingerprint(SynSupport.Parse(Windows10))!.Matched);
        }
        finally { Directory.Delete(dir, true); }
    }
}
