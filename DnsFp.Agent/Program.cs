using System.CommandLine;
using DnsFp.Agent.Commands;

// dnsfp-agent: learns address → OS fingerprint and accepted/rejected verdicts on a mail host and appends them to
// Redis. Each verb lives in Commands/.
var root = new RootCommand("dnsfp-agent: feeds OS fingerprints (pf, p0f) and mail verdicts (Exim, Postfix) of SMTP clients into dnsfp's Redis.")
{
    RunCommand.Create(),
    ImportCommand.Create(),
    PfRulesCommand.Create(),
    FingerprintCommand.Create(),
};
// The host handles SIGTERM/SIGINT itself (graceful stop, exit code 0), not System.CommandLine.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
