using DnsFp.Tests.Support;

namespace DnsFp.Tests.Integration;

/// <summary>"dnsfp-agent fingerprint" as an operator runs it: output columns, both databases, filters, errors and exit codes.</summary>
public sealed class FingerprintCommandTests
{
    private const string Key = "4:64:0:*:mss*20,10:mss,sok,ts,nop,ws:df,id+:0";

    private static readonly SynBuilder Linux = new()
    {
        Source = System.Net.IPAddress.Parse("192.0.2.33"),
        SourcePort = 51000,
        Window = 1460 * 20,
        Ttl = 57,
        IpId = 1,
        Options = SynBuilder.LinuxOptions(scale: 10),
    };

    private static string Temp(string name, byte[] content)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("dnsfp-fp-").FullName, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    [Fact]
    public async Task Prints_one_tab_separated_line_per_syn_and_database()
    {
        var pfOs = Temp("pf.os", "S20:64:1:60:M*,S,T,N,W10:\tLinux:3.11::Linux 3.11\n"u8.ToArray());
        var pcap = Temp("syns.pcap", PcapWriter.Classic(PcapWriter.Ethernet,
        [
            PcapWriter.Frame(PcapWriter.Ethernet, Linux.Build()),
            PcapWriter.Frame(PcapWriter.Ethernet, (Linux with { SourcePort = 51001, DestinationPort = 587 }).Build()),
            PcapWriter.Frame(PcapWriter.Ethernet, (Linux with { Flags = 0x12 }).Build()),
        ]));
        var result = await Cli.RunAsync("dnsfp-agent", "fingerprint", "--pcap", pcap, "--db", "/etc/p0f/p0f.fp", "--db", pfOs, "--port", "25");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["192.0.2.33\t51000\tLinux 3.11 and newer\tp0f.fp\texact\t" + Key, "192.0.2.33\t51000\tLinux 3.11\tpf.os\texact\t" + Key],
            result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("3 packets, 2 SYNs", result.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_files_unreadable_captures_and_bad_database_lines_have_their_exit_codes()
    {
        var pcap = Temp("syns.pcap", PcapWriter.Classic(PcapWriter.Raw, [Linux.Build()]));
        var missing = await Cli.RunAsync("dnsfp-agent", "fingerprint", "--pcap", "/nonexistent/x.pcap", "--db", "/etc/p0f/p0f.fp");
        Assert.Equal((66, true), (missing.ExitCode, missing.Errors.Contains("'/nonexistent/x.pcap' does not exist", StringComparison.Ordinal)));

        var garbage = await Cli.RunAsync("dnsfp-agent", "fingerprint", "--pcap", Temp("notes.txt", "not a capture at all"u8.ToArray()), "--db", "/etc/p0f/p0f.fp");
        Assert.Equal(65, garbage.ExitCode);
        Assert.Contains("not a pcap or pcapng file", garbage.Errors, StringComparison.Ordinal);

        var badDb = Temp("pf.os", "S20:64:1:60:M*,S,T,N,W10:\tLinux:3.11::ok\nS20:999:1:60:M*:Linux:3.11::bad ttl\n"u8.ToArray());
        var partly = await Cli.RunAsync("dnsfp-agent", "fingerprint", "--pcap", pcap, "--db", badDb);
        Assert.Equal(65, partly.ExitCode);
        Assert.Contains($"{badDb} line 2: ttl value 999 > 255; line skipped", partly.Errors, StringComparison.Ordinal);
        Assert.Equal("192.0.2.33\t51000\tLinux 3.11\tpf.os\texact\t" + Key, partly.Output.Trim());

        var help = await Cli.RunAsync("dnsfp-agent", "fingerprint", "--help");
        Assert.Contains("client_ip <TAB> client_port <TAB> label <TAB> database <TAB> quality", help.Output, StringComparison.Ordinal);
    }
}
