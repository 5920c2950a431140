using System.Net;

namespace DnsFp.Agent.Verdicts.Exim;

/// <summary>
/// Finds the client address in an Exim log line: the first "[address]" after "H=" that is not inside the
/// parenthesised HELO name (a bot saying "HELO [10.0.0.1]" logs "H=([10.0.0.1]) [203.0.113.9]"). Lines without
/// "H=" ("rejected EHLO from [ip]") use the first bracketed address outside parentheses.
/// </summary>
internal static class EximHostField
{
    public static bool TryFind(string line, out IPAddress address, out bool hasHostField)
    {
        int h = line.IndexOf(" H=", StringComparison.Ordinal);
        hasHostField = h >= 0;
        int start = hasHostField ? h + 3 : 0;
        return TryFirstBracketedAddress(line, start, out address);
    }

    private static bool TryFirstBracketedAddress(string line, int start, out IPAddress address)
    {
        address = IPAddress.None;
        int depth = 0;
        for (int i = start; i < line.Length; i++)
        {
            char c = line[i];
            if (c == '(') depth++;
            else if (c == ')' && depth > 0) depth--;
            else if (c == '[' && depth == 0)
            {
                int end = line.IndexOf(']', i + 1);
                if (end < 0) return false;
                if (IPAddress.TryParse(line.AsSpan(i + 1, end - i - 1), out var parsed)) { address = parsed; return true; }
                i = end;
            }
        }
        return false;
    }
}
