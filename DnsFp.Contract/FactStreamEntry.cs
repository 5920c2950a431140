using System.Text;
using StackExchange.Redis;

namespace DnsFp.Contract;

/// <summary>
/// How facts travel in <see cref="RedisKeys.Facts"/>. An entry is either one fact in named fields (<see cref="Fact"/>'s
/// field names; what agents before batching wrote, still read) or a <b>batch</b>: field <see cref="HostField"/> is the
/// agent host and field <see cref="FactsField"/> holds up to <see cref="MaxFacts"/> facts as <see cref="FactLine"/>s
/// separated by newlines. A batch is one XADD and one stream entry for hundreds of facts, so agents append and servers
/// fold at Redis' speed for bulk data rather than one round trip and one stream node per fact (issue #13).
/// </summary>
public static class FactStreamEntry
{
    public const string FactsField = "f", HostField = Fact.HostField;

    /// <summary>Facts per batch entry: about 70 KB, so one entry is never a long command for Redis.</summary>
    public const int MaxFacts = 1000;

    /// <summary>Longer than any line a fact makes (id 24, kind, an IPv6 address 39, label and class 2 × 64, time, source).</summary>
    private const int MaxLineChars = 512;

    public static NameValueEntry[] Batch(IEnumerable<Fact> facts, string host)
    {
        var text = new StringBuilder(64 * 1024);
        foreach (var f in facts) text.Append(FactLine.Encode(f)).Append('\n');
        return [new(HostField, host), new(FactsField, text.ToString())];
    }

    /// <summary>
    /// Adds the facts of one entry to <paramref name="into"/> (with the entry's host), and returns how many parts of it
    /// were unreadable; <paramref name="problem"/> describes the first.
    /// </summary>
    public static int Read(NameValueEntry[] values, List<Fact> into, out string? problem)
    {
        problem = null;
        RedisValue batch = RedisValue.Null, host = RedisValue.Null;
        foreach (var v in values)
        {
            if (v.Name == FactsField) batch = v.Value;
            else if (v.Name == HostField) host = v.Value;
        }
        if (batch.IsNull)
        {
            var fact = Fact.FromStreamEntry(values, out problem);
            if (fact is null) return 1;
            into.Add(fact);
            return 0;
        }
        string hostName = host.IsNull ? "" : (string)host!;
        // Read line by line from the reply's own bytes: the batch as one string would be a 140 KB object, and a
        // steady stream of those (large-object heap) makes the GC collect everything, over and over (issue #13).
        ReadOnlyMemory<byte> bytes = batch;
        var text = bytes.Span;
        Span<char> chars = stackalloc char[MaxLineChars];
        int bad = 0;
        foreach (var range in text.Split((byte)'\n'))
        {
            var line = text[range];
            if (line.IsEmpty) continue;
            Fact? fact = null;
            if (line.Length <= MaxLineChars && Encoding.UTF8.TryGetChars(line, chars, out int length)) fact = FactLine.Decode(chars[..length]);
            if (fact is null) { bad++; problem ??= $"unreadable fact line '{Encoding.UTF8.GetString(line)}'"; continue; }
            into.Add(hostName.Length == 0 ? fact : fact with { Host = hostName });
        }
        return bad;
    }
}
