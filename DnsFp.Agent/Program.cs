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
var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    // bad flags: say what is wrong and how the command is used, and exit 64 (EX_USAGE) as --help promises, not 1
    foreach (var error in parsed.Errors) Console.Error.WriteLine($"{root.Name}: {error.Message}");
    Console.Error.WriteLine(UsageLine.For(parsed.CommandResult.Command, root.Name));
    return ExitCodes.Usage;
}
// The host handles SIGTERM/SIGINT itself (graceful stop, exit code 0), not System.CommandLine.
return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
