using System.CommandLine.Parsing;

namespace DnsFp.Agent.Commands;

/// <summary>A duration option's parser: <see cref="Contract.DurationText"/>, with its error on the command line.</summary>
internal static class DurationText
{
    public static TimeSpan? Parse(string text, ArgumentResult result)
    {
        if (Contract.DurationText.TryParse(text, out var value)) return value;
        result.AddError($"'{text}' is not a duration (write {Contract.DurationText.Examples})");
        return null;
    }
}
