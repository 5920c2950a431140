using System.Globalization;
using System.Text;
using System.Text.Json;

namespace DnsFp.Agent.Sources.Journal;

/// <summary>
/// One entry of <c>journalctl --output=json</c>: its cursor, who logged it and the message, turned back into the line
/// the program would have written to a log file, so the same readers (Postfix, Exim, rspamd) read both.
/// </summary>
internal sealed record JournalEntry(string Cursor, string Identifier, string Unit, string Message, DateTimeOffset Time, string Host, string? Pid)
{
    /// <summary>Reads one JSON line; null (with why) when it is not an entry with a cursor and a message.</summary>
    public static JournalEntry? Parse(string json, out string? problem)
    {
        problem = null;
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            string? cursor = Text(root, "__CURSOR"), message = Text(root, "MESSAGE");
            if (cursor is null || message is null) { problem = "journal entry without __CURSOR or MESSAGE"; return null; }
            long micros = long.TryParse(Text(root, "__REALTIME_TIMESTAMP"), NumberStyles.None, CultureInfo.InvariantCulture, out long t) ? t : 0;
            return new JournalEntry(cursor, Text(root, "SYSLOG_IDENTIFIER") ?? "", Text(root, "_SYSTEMD_UNIT") ?? "", message,
                DateTimeOffset.FromUnixTimeMilliseconds(micros / 1000), Text(root, "_HOSTNAME") ?? "localhost", Text(root, "SYSLOG_PID") ?? Text(root, "_PID"));
        }
        catch (JsonException ex)
        {
            problem = "not journal JSON: " + ex.Message;
            return null;
        }
    }

    /// <summary>A field's text; journalctl writes a message that is not valid UTF-8 as an array of byte values.</summary>
    private static string? Text(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var v)) return null;
        if (v.ValueKind == JsonValueKind.String) return v.GetString();
        if (v.ValueKind == JsonValueKind.Array) return Encoding.UTF8.GetString([.. v.EnumerateArray().Select(b => b.TryGetByte(out byte x) ? x : (byte)'?')]);
        return null;
    }

    /// <summary>As rsyslog would write it: "2026-12-07T06:00:00.123+00:00 host postfix/smtpd[123]: message".</summary>
    public string AsSyslogLine() =>
        $"{Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'+00:00'", CultureInfo.InvariantCulture)} {Host} {Identifier}{(Pid is null ? "" : $"[{Pid}]")}: {Message}";

    /// <summary>As Exim writes its mainlog (Exim's syslog messages carry no timestamp of their own): "2026-12-07 06:00:00 message".</summary>
    public string AsEximLine() =>
        Message.Length > 19 && char.IsDigit(Message[0]) && Message[4] == '-' && Message[10] == ' '
            ? Message
            : $"{Time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} {Message}";
}
