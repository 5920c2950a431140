using DnsFp.Agent.Commands;

namespace DnsFp.Tests.Agent.Pf;

/// <summary>"dnsfp-agent pf-rules": every OS name once, and never a broad name before a narrower one it would shadow.</summary>
public sealed class PfRulesCommandTests
{
    [Theory]
    [InlineData("pfctl-so.openbsd-pf.os-1.27.generated.txt", 343)]
    [InlineData("pfctl-so.freebsd-pf.os.generated.txt", 369)]
    public void Rules_from_pfctl_so_put_specific_names_first(string file, int names)
    {
        var reference = Support.RepoPaths.SharedReference;
        if (reference is null) return;
        var output = new StringWriter();
        int code = PfRulesCommand.Run(new FileInfo(Path.Combine(reference, "pfctl", file)), "em0", "smtp", TextReader.Null, output, TextWriter.Null);
        Assert.Equal(0, code);
        var os = output.ToString().Split('\n').Where(l => l.StartsWith("pass", StringComparison.Ordinal))
            .Select(l => l[(l.IndexOf("os \"", StringComparison.Ordinal) + 4)..l.IndexOf("\" to", StringComparison.Ordinal)]).ToList();
        Assert.Equal(names + 1, os.Count);
        Assert.Equal(os.Count, os.Distinct().Count());
        Assert.Equal("unknown", os[^1]);
        for (int i = 0; i < os.Count; i++)
            for (int j = 0; j < i; j++)
                Assert.False(os[i].StartsWith(os[j] + " ", StringComparison.Ordinal), $"'{os[j]}' (rule {j}) shadows '{os[i]}' (rule {i})");
    }

    [Fact]
    public void Rules_from_the_pf_os_debian_ships()
    {
        const string PfOs = "/usr/share/doc/nftables/examples/pf.os";    // .ci/run installs nftables
        Assert.True(File.Exists(PfOs), $"{PfOs} is missing: install Debian's nftables package");
        var output = new StringWriter();
        Assert.Equal(0, PfRulesCommand.Run(new FileInfo(PfOs), "em0", "smtp", TextReader.Null, output, TextWriter.Null));
        var os = output.ToString().Split('\n').Where(l => l.StartsWith("pass", StringComparison.Ordinal))
            .Select(l => l[(l.IndexOf("os \"", StringComparison.Ordinal) + 4)..l.IndexOf("\" to", StringComparison.Ordinal)]).ToList();
        Assert.Contains("Windows 2000 SP4", os);
        Assert.Contains("AIX", os);
        Assert.DoesNotContain(os, o => o.Contains('\t', StringComparison.Ordinal) || o.Contains(':', StringComparison.Ordinal) || o[0] is '*' or '@');
        Assert.Contains("NMAP syn scan", os);                                // "*NMAP" in pf.os, "NMAP" in pfctl -so
        for (int i = 0; i < os.Count; i++)
            for (int j = 0; j < i; j++)
                Assert.False(os[i].StartsWith(os[j] + " ", StringComparison.Ordinal), $"'{os[j]}' (rule {j}) shadows '{os[i]}' (rule {i})");
    }

    [Fact]
    public void Rules_from_a_pf_os_file()
    {
        string pfOs = """
            # pf.os excerpt (wwww:ttt:D:ss:OOO...:OS:Version:Subtype:Details)
            16384:64:0:60:M512,N,W%2,N,N,T:		AIX:4.3:3:AIX 4.3.3-5.2
            16384:64:1:60:M512,N,W%2,N,N,T:		AIX:5.3:ML1:AIX 5.3 ML1
            S4:64:1:44:M*:		Linux:2.6::Linux 2.6
            """;
        var output = new StringWriter();
        int code = PfRulesCommand.Run(null, "$ext_if", "25", new StringReader(pfOs), output, TextWriter.Null);
        Assert.Equal(0, code);
        var text = output.ToString();
        Assert.True(text.IndexOf("os \"AIX 4.3 3\"", StringComparison.Ordinal) < text.IndexOf("os \"AIX 4.3\"", StringComparison.Ordinal));
        Assert.True(text.IndexOf("os \"Linux 2.6\"", StringComparison.Ordinal) < text.IndexOf("os \"Linux\"", StringComparison.Ordinal));
        Assert.Contains("pass in quick on $ext_if proto tcp from any os \"AIX 5.3 ML1\" to any port 25 flags S/SA keep state label \"AIX 5.3 ML1\"", text, StringComparison.Ordinal);
    }
}
