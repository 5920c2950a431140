namespace DnsFp.Agent.Sources.Journal;

/// <summary>What to read from the journal: units and/or syslog identifiers (any of them), and which journal.</summary>
internal sealed record JournalSettings(IReadOnlyList<string> Units, IReadOnlyList<string> Identifiers, string? Directory, string Command = "journalctl")
{
    /// <summary>journalctl's arguments: JSON, follow, from after <paramref name="cursor"/> (or from the start), and the matches.</summary>
    public IEnumerable<string> Arguments(string? cursor)
    {
        yield return "--output=json";
        yield return "--follow";
        yield return "--no-pager";
        yield return "--all";
        if (Directory is not null) yield return "--directory=" + Directory;
        if (cursor is not null) yield return "--after-cursor=" + cursor;
        else yield return "--no-tail";
        // matches on one field are alternatives; "+" makes the two fields alternatives too (journalctl(1), MATCHES)
        foreach (var u in Units) yield return "_SYSTEMD_UNIT=" + u;
        if (Units.Count > 0 && Identifiers.Count > 0) yield return "+";
        foreach (var i in Identifiers) yield return "SYSLOG_IDENTIFIER=" + i;
    }

    public string Describe() =>
        string.Join(", ", Units.Select(u => "unit " + u).Concat(Identifiers.Select(i => "identifier " + i))) + (Directory is null ? "" : $" in {Directory}");
}
