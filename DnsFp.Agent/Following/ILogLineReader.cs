using DnsFp.Contract;

namespace DnsFp.Agent.Following;

/// <summary>What a followed log's lines mean: one implementation per log kind (Exim, Postfix, p0f).</summary>
internal interface ILogLineReader
{
    string Name { get; }

    /// <summary>Adds the facts of one line; returns why the line could not be parsed, or null.</summary>
    string? Read(FollowedLine line, long now, List<Fact> facts);

    /// <summary>State carried between lines, saved with the follower's position (null: none).</summary>
    Dictionary<string, string>? SaveState();

    void LoadState(Dictionary<string, string>? state);

    /// <summary>Lines so far that the program itself wrote as part of an entry above them (continuations, header dumps): skipped, not problems.</summary>
    long Continuations => 0;
}
