using System.Text;

namespace DnsFp.Server.Zones;

/// <summary>
/// Splits an RFC 1035 5.1 master file into logical entries: comments (";") removed, "( ... )" joined across lines,
/// quoted strings kept whole. We parse zone files ourselves because ARSoft's parser rejects "1h"-style TTLs and
/// returns an empty zone for a one-line "( ... )" SOA (measured, DESIGN.md).
/// </summary>
internal static class MasterFileTokenizer
{
    public sealed record Token(string Text, bool Quoted);

    /// <summary>A logical entry: its first physical line number, whether it began with blank (owner omitted), its tokens.</summary>
    public sealed record Entry(int Line, bool StartsWithBlank, IReadOnlyList<Token> Tokens);

    public static IEnumerable<Entry> Read(string text)
    {
        var tokens = new List<Token>();
        int depth = 0, entryLine = 0, lineNo = 0;
        bool startsWithBlank = false;
        foreach (var rawLine in text.Split('\n'))
        {
            lineNo++;
            var line = rawLine.TrimEnd('\r');
            if (depth == 0)
            {
                entryLine = lineNo;
                startsWithBlank = line.Length > 0 && (line[0] == ' ' || line[0] == '\t');
            }
            int i = 0;
            while (i < line.Length)
            {
                char c = line[i];
                if (c == ';') break;
                if (c is ' ' or '\t') { i++; continue; }
                if (c == '(') { depth++; i++; continue; }
                if (c == ')')
                {
                    if (depth == 0) throw new FormatException($"line {lineNo}: ')' without '('");
                    depth--; i++; continue;
                }
                if (c == '"') { tokens.Add(new Token(ReadQuoted(line, ref i, lineNo), true)); continue; }
                int start = i;
                while (i < line.Length && line[i] is not (' ' or '\t' or ';' or '(' or ')' or '"')) i++;
                tokens.Add(new Token(line[start..i], false));
            }
            if (depth == 0 && tokens.Count > 0)
            {
                yield return new Entry(entryLine, startsWithBlank, tokens);
                tokens = [];
            }
        }
        if (depth != 0) throw new FormatException($"line {entryLine}: '(' is never closed");
    }

    private static string ReadQuoted(string line, ref int i, int lineNo)
    {
        var sb = new StringBuilder();
        i++;                                                   // opening quote
        while (i < line.Length && line[i] != '"')
        {
            if (line[i] == '\\' && i + 1 < line.Length)
            {
                if (i + 3 < line.Length && char.IsAsciiDigit(line[i + 1]) && char.IsAsciiDigit(line[i + 2]) && char.IsAsciiDigit(line[i + 3]))
                {
                    sb.Append((char)int.Parse(line.AsSpan(i + 1, 3), System.Globalization.CultureInfo.InvariantCulture));
                    i += 4;
                    continue;
                }
                sb.Append(line[i + 1]);
                i += 2;
                continue;
            }
            sb.Append(line[i++]);
        }
        if (i >= line.Length) throw new FormatException($"line {lineNo}: unterminated quoted string");
        i++;                                                   // closing quote
        return sb.ToString();
    }
}
