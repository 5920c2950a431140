using System.Net;
using DnsFp.Agent.Sources.P0f;

namespace DnsFp.Tests.Agent.P0f;

/// <summary>The p0f v3 API byte layout, against real query and reply bytes captured from p0f 3.09b (reference/p0f/).</summary>
public sealed class P0fApiTests
{
    private static byte[]? Reference(string file)
    {
        var dir = Support.RepoPaths.SharedReference;
        return dir is null ? null : File.ReadAllBytes(Path.Combine(dir, "p0f", file));
    }

    [Theory]
    [InlineData("127.0.0.1", "api-ok_127.0.0.1.query.bin")]
    [InlineData("::1", "api-ok_ipv6_--1.query.bin")]
    [InlineData("192.0.2.99", "api-nomatch_192.0.2.99.query.bin")]
    public void Queries_are_byte_for_byte_what_p0f_expects(string address, string file)
    {
        var expected = Reference(file);
        if (expected is null) return;
        var query = new byte[P0fApiQuery.Size];
        P0fApiQuery.Write(IPAddress.Parse(address), query);
        Assert.Equal(expected, query);
    }

    [Fact]
    public void Replies_give_status_label_and_quality()
    {
        var ok = Reference("api-ok_127.0.0.1.response.bin");
        if (ok is null) return;
        Assert.True(P0fApiReply.TryRead(ok, out var r));
        Assert.Equal((P0fApiReply.Status.Ok, "Linux", "2.2.x-3.x", "Linux 2.2.x-3.x"), (r.Result, r.OsName, r.OsFlavor, r.Label));
        Assert.True(r.Generic);

        Assert.True(P0fApiReply.TryRead(Reference("api-nomatch_192.0.2.99.response.bin"), out var none));
        Assert.Equal(P0fApiReply.Status.NoMatch, none.Result);
        Assert.True(P0fApiReply.TryRead(Reference("api-badquery_magic.response.bin"), out var bad));
        Assert.Equal(P0fApiReply.Status.BadQuery, bad.Result);
        Assert.False(P0fApiReply.TryRead(new byte[10], out _));
    }

    [Fact]
    public void Log_lines_of_client_syns_are_observations()
    {
        var dir = Support.RepoPaths.SharedReference;
        if (dir is null) return;
        var results = File.ReadLines(Path.Combine(dir, "p0f", "p0f-3.09b-all-modules.samples.log")).Select(P0fLogLine.Read).ToList();
        Assert.DoesNotContain(results, r => r.Kind == P0fLogLine.Kind.Unparseable);
        var syns = results.Where(r => r.Kind == P0fLogLine.Kind.Observation).ToList();
        Assert.Contains(syns, r => r.Client!.ToString() == "127.0.0.1" && r.Label == "Linux 2.2.x-3.x [4:64:0:*:43690,9:mss,sok,ts,nop,ws:df,id+:0]");
        Assert.Contains(syns, r => r.Client!.ToString() == "::1" && r.Label == "unnamed [6:64:0:*:43690,9:mss,sok,ts,nop,ws:flow:0]" && r.Class == "Unknown");   // os=???: named by its signature key
        Assert.Contains(syns, r => DnsFp.Contract.SynSignature.NameOf(r.Label!) == "MacOS X 10.9 or newer (sometimes iPhone or iPad)");
        Assert.Equal(P0fLogLine.Kind.Unparseable, P0fLogLine.Read("garbage").Kind);
    }
}
