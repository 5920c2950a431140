using System.CommandLine;
using DnsFp.Agent.Commands;

// dnsfp-agent: learns address → OS fingerprint and accepted/rejected verdicts on a mail host and appends them to
// Redis. Each verb lives in Commands/.
var root = new RootCommand("dnsfp-agent: feeds OS fingerprints (pf, p0f) and mail verdicts (Exim, Postfix) of SMTP clients into dnsfp's Redis.")
{
    RunCommand.Create(),
    ImportCommand.Create(),
    PfRulesCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
