using System.CommandLine;
using DnsFp.Server.Commands;

// dnsfp-server: the authoritative fingerprint DNSBL and its operator commands. Each verb lives in Commands/.
var root = new RootCommand("dnsfp-server: answers d.c.b.a.<zone> A/TXT queries with the OS fingerprint of an address and the spam band of that OS.")
{
    RunCommand.Create(),
    StatsCommand.Create(),
    ExportCommand.Create(),
    LookupCommand.Create(),
    DelistCommand.Create(),
    RelistCommand.Create(),
    DelistingsCommand.Create(),
    ForgetCommand.Create(),
};
// The host handles SIGTERM/SIGINT itself (graceful stop, exit code 0), not System.CommandLine.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
