using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using StackExchange.Redis;

namespace DnsFp.Contract;

public enum FactKind { Observation, Accepted, Rejected }

/// <summary>
/// One thing an agent learned: "address X was fingerprinted as Label (Class)" or "a message from X was accepted /
/// rejected". <see cref="Id"/> is unique per fact and stable across retries, so the fold counts it once however
/// often it is delivered. <see cref="Time"/> is when the agent learned it (Unix seconds); verdicts are counted in
/// the day of that time, and an observation's time is the listing's last-seen day. <see cref="Source"/> says which kind
/// of source observed it (pf, p0f, capture, import, probe); <see cref="Host"/> is the agent host that sent it, filled in when
/// read from the stream (the writer adds it).
/// </summary>
public sealed record Fact(FactKind Kind, string Id, IPAddress Address, string Label, string Class, long Time,
    ObservationSources Source = ObservationSources.None, string Host = "")
{
    // Stream field names: short, because every fact carries them.
    public const string KindField = "k", IdField = "id", AddressField = "ip", LabelField = "l", ClassField = "c", TimeField = "t",
        SourceField = "s", HostField = "h";

    public static Fact Observation(string id, IPAddress address, string rawLabel, long time, ObservationSources source, string? rawClass = null)
    {
        string label = OsLabel.Normalize(rawLabel);
        string cls = rawClass is null ? OsLabel.ClassOf(label) : OsLabel.Normalize(rawClass);
        return new Fact(FactKind.Observation, id, Canonical(address), label, cls, time, source);
    }

    public static Fact Verdict(string id, IPAddress address, bool accepted, long time) =>
        new(accepted ? FactKind.Accepted : FactKind.Rejected, id, Canonical(address), "", "", time);

    /// <summary>A fact id from the things that make a fact unique (source, line text, occurrence...).</summary>
    public static string MakeId(params string[] parts)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001f', parts)));
        return Convert.ToHexStringLower(hash.AsSpan(0, 12));
    }

    /// <summary>The kind as stream entries, spool lines and the fold script spell it: "o", "a" or "r".</summary>
    public string KindCode => Kind switch { FactKind.Observation => "o", FactKind.Accepted => "a", _ => "r" };

    /// <summary>A fact from its encoded fields (a stream entry or a spool line); null when they do not make one.</summary>
    public static Fact? FromFields(string? kindCode, string id, IPAddress address, string? label, string? cls, long time, ObservationSources source = ObservationSources.None) => kindCode switch
    {
        "o" when !string.IsNullOrWhiteSpace(label) => Observation(id, address, label, time, source, string.IsNullOrWhiteSpace(cls) ? null : cls),
        "a" => Verdict(id, address, true, time),
        "r" => Verdict(id, address, false, time),
        _ => null,
    };

    /// <param name="host">The agent host that sends it, so the server can say which hosts run which source.</param>
    public NameValueEntry[] ToStreamEntry(string host) =>
    [
        new(KindField, KindCode),
        new(IdField, Id),
        new(AddressField, Address.ToString()),
        new(LabelField, Label),
        new(ClassField, Class),
        new(TimeField, Time),
        new(SourceField, (int)Source),
        new(HostField, host),
    ];

    /// <summary>Reads a stream entry back; null (with a reason) when it is not a well-formed fact.</summary>
    public static Fact? FromStreamEntry(NameValueEntry[] values, out string? problem)
    {
        string? k = null, id = null, ip = null, label = null, cls = null, t = null, src = null, host = null;
        foreach (var v in values)
        {
            switch ((string?)v.Name)
            {
                case KindField: k = v.Value; break;
                case IdField: id = v.Value; break;
                case AddressField: ip = v.Value; break;
                case LabelField: label = v.Value; break;
                case ClassField: cls = v.Value; break;
                case TimeField: t = v.Value; break;
                case SourceField: src = v.Value; break;
                case HostField: host = v.Value; break;
            }
        }
        problem = null;
        if (string.IsNullOrEmpty(id)) { problem = "no fact id"; return null; }
        if (ip is null || !IPAddress.TryParse(ip, out var address)) { problem = $"bad address '{ip}'"; return null; }
        if (!long.TryParse(t, NumberStyles.Integer, CultureInfo.InvariantCulture, out long time)) { problem = $"bad time '{t}'"; return null; }
        // facts from agents older than the source field have no source: they still list, with no source named
        int source = int.TryParse(src, NumberStyles.None, CultureInfo.InvariantCulture, out int s) ? s & 0x1F : 0;
        var fact = FromFields(k, id, address, label, cls, time, (ObservationSources)source);
        if (fact is null) problem = $"bad kind '{k}' or missing label";
        return fact is null ? null : fact with { Host = host ?? "" };
    }

    /// <summary>IPv4-mapped IPv6 addresses are stored as the IPv4 address they map, as DNS looks them up.</summary>
    public static IPAddress Canonical(IPAddress a) => a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a;
}
