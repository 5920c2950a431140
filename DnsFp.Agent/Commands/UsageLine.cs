using System.CommandLine;

namespace DnsFp.Agent.Commands;

/// <summary>The one-line "usage: dnsfp-agent import [--redis ...] ..." printed with a flag error, so the operator sees the valid flags without --help.</summary>
internal static class UsageLine
{
    private static string ValueName(Option o) =>
        o.ValueType == typeof(FileInfo) || o.ValueType == typeof(FileInfo[]) ? "FILE" : o.ValueType == typeof(TimeSpan?) ? "DURATION" : "VALUE";

    public static string For(Command command, string program)
    {
        string path = command is RootCommand ? program : $"{program} {command.Name}";
        var options = command.Options.Where(o => !o.Hidden && o.Name is not ("--help" or "--version"))
            .Select(o => o.Arity.MaximumNumberOfValues == 0 || o.ValueType == typeof(bool) ? $"[{o.Name}]" : $"[{o.Name} {o.HelpName ?? ValueName(o)}]");
        var verbs = command.Subcommands.Select(c => c.Name).ToList();
        return $"usage: {path}" + (verbs.Count > 0 ? $" {{{string.Join('|', verbs)}}}" : "") + " " + string.Join(' ', options) + $"  (see {path} --help)";
    }
}
