using System.Net;
using DnsFp.Agent.Fingerprints.P0fFp;
using DnsFp.Contract;
using DnsFp.Tests.Support;

namespace DnsFp.Tests.Agent.Fingerprints;

/// <summary>The signature key (DnsFp.Contract/SynSignature.cs): one key per stack whatever the path, different keys for different stacks.</summary>
public sealed class SynSignatureTests
{
    private static string Key(SynBuilder b) => P0fRawSignature.KeyOf(SynSupport.Parse(b))!;

    private static SynBuilder Linux(int ttl, int mss) => new()
    {
        Source = IPAddress.Parse("192.0.2.33"),
        Ttl = ttl,
        IpId = 1,
        Window = mss * 20,
        Options = SynBuilder.LinuxOptions(mss: mss, scale: 7),
    };

    private static SynBuilder Windows(int ttl, int mss) => new()
    {
        Source = IPAddress.Parse("192.0.2.34"),
        Ttl = ttl,
        IpId = 7,
        Window = 64240,
        Options = SynBuilder.Join(SynBuilder.Mss(mss), SynBuilder.Nop, SynBuilder.WindowScale(8), SynBuilder.Nop, SynBuilder.Nop, SynBuilder.SackPermitted),
    };

    [Fact]
    public void The_same_stack_at_different_distances_and_mtus_has_one_key()
    {
        string key = Key(Linux(64, 1460));
        Assert.Equal("4:64:0:*:mss*20,7:mss,sok,ts,nop,ws:df,id+:0", key);
        foreach (var (ttl, mss) in new[] { (57, 1460), (40, 1400), (33, 1380), (64, 1220) }) Assert.Equal(key, Key(Linux(ttl, mss)));
        Assert.Equal(Key(Windows(128, 1460)), Key(Windows(113, 1460)));
        Assert.Equal("4:128:0:*:mss*44,8:mss,nop,ws,nop,nop,sok:df,id+:0", Key(Windows(120, 1460)));
    }

    [Fact]
    public void Different_stacks_have_different_keys()
    {
        var keys = new[]
        {
            Key(Linux(64, 1460)),
            Key(Windows(128, 1460)),
            Key(Linux(64, 1460) with { Options = SynBuilder.LinuxOptions(scale: 9) }),                 // another window scale
            Key(Linux(64, 1460) with { DontFragment = false }),                                       // a quirk
            Key(Linux(128, 1460)),                                                                     // another initial TTL
            Key(Linux(64, 1460) with { Window = 65535 }),                                              // a fixed window
            Key(Linux(64, 1460) with { Source = IPAddress.Parse("2001:db8::33"), Destination = IPAddress.Parse("2001:db8::25"), FlowLabel = 0x12345 }),
        };
        Assert.Equal(keys.Length, keys.Distinct().Count());
        Assert.StartsWith("6:64:0:*:", keys[^1], StringComparison.Ordinal);
        Assert.Contains(":flow:", keys[^1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("4:49+15:0:1452:mss*45,7:mss,sok,ts,nop,ws:df,ecn:0", "4:64:0:*:mss*45,7:mss,sok,ts,nop,ws:df,ecn:0")]
    [InlineData("4:64+0:0:1460:65535,4:mss,nop,ws,nop,nop,ts,sok,eol+1:df,id+:0", "4:64:0:*:65535,4:mss,nop,ws,nop,nop,ts,sok,eol+1:df,id+:0")]
    [InlineData("6:117+11:0:1440:mss*45,8:mss,sok,ts,nop,ws:flow:0", "6:128:0:*:mss*45,8:mss,sok,ts,nop,ws:flow:0")]
    [InlineData("4:57-:0:*:1024,0:mss::+", "4:64:0:*:1024,0:mss::+")]
    [InlineData("4:100+?:0:1460:mss*20,7:mss,sok,ts,nop,ws:df,id+:0", "4:128:0:*:mss*20,7:mss,sok,ts,nop,ws:df,id+:0")]
    public void Keys_from_p0f_raw_signatures_drop_the_distance_and_the_mss(string raw, string key) =>
        Assert.Equal(key, SynSignature.FromP0fRawSignature(raw));

    [Theory]
    [InlineData("1:Host,User-Agent:Accept:curl/7.69.1")]      // an HTTP raw_sig
    [InlineData("4:x+0:0:1460:mss*10,7:mss:df:0")]
    [InlineData("")]
    public void Other_raw_signatures_have_no_key(string raw) => Assert.Null(SynSignature.FromP0fRawSignature(raw));
}
