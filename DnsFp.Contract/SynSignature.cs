using System.Globalization;

namespace DnsFp.Contract;

/// <summary>
/// The signature key of a SYN: a label for the sender's TCP/IP stack that does not depend on the path, for SYNs no
/// database can name ("it doesn't actually matter how correct the information is as long as it's consistent").
/// It is p0f 3's raw signature (README "TCP signatures") with the two path-dependent parts taken out, so p0f's own
/// sources (its API and -o log give raw_sig) and the agent's matcher give the same key for the same SYN:
/// <code>
/// key     = ver ":" ittl ":" olen ":*:" wsize "," scale ":" olayout ":" quirks ":" pclass
/// ver     = "4" / "6"
/// ittl    = "32" / "64" / "128" / "255"     initial TTL: the hop distance taken out ("49+15" is 64)
/// olen    = bytes of IPv4 options (0 for IPv6)
/// "*"     = the MSS, which the path's MTU sets, taken out
/// wsize   = "mss*" N / "mtu*" N / window    p0f's multiple rule (window ÷ MSS or MTU), else the value
/// scale   = window scale, 0 without the option
/// olayout = TCP options in order: eol+N, nop, mss, ws, sok, sack, ts, ?KIND   (comma-separated)
/// quirks  = p0f's quirks in p0f's order: df, id+, id-, ecn, 0+, flow, seq-, ack+, ack-, uptr+, urgf+, pushf+,
///           ts1-, ts2+, opt+, exws, bad   (comma-separated, may be empty)
/// pclass  = "0" no payload, "+" payload
/// </code>
/// Example: Linux 5 over IPv4, 3 hops away, MSS 1400: "4:64:0:*:mss*44,7:mss,sok,ts,nop,ws:df,id+:0". The key is
/// also a valid p0f.fp "sig =" value (an MSS of "*" matches any), so a key can be turned into a named signature.
/// The key of a SYN+ACK (an agent's probe, DnsFp.Agent/Probing/) is "r" and the same grammar, the window multiple
/// allowing the probe SYN's MSS as p0f does: a stack's answers are never rated together with a stack's SYNs.
/// </summary>
public static class SynSignature
{
    /// <summary>Name of the SYNs no database names.</summary>
    public const string Unnamed = "unnamed";

    /// <summary>What starts the key of a SYN+ACK, "r4:64:0:*:mss*10,7:...", a [tcp:response] "sig =" value after it.</summary>
    public const string ResponsePrefix = "r";

    /// <summary>
    /// The OS label of a fingerprinted SYN: its name and its key, "Linux 3.11 and newer [4:64:0:*:...]". Ratings
    /// climb signature (this label's own verdicts) → name (every label of that name) → class → unrated, each level
    /// used only with Bands:MinimumVerdicts verdicts, so one stack is rated on its own as soon as it has enough.
    /// </summary>
    public static string Label(string name, string key) => $"{name} [{key}]";

    /// <summary>The label of a SYN no database names: "unnamed [key]", in class Unknown.</summary>
    public static string UnnamedLabel(string key) => Label(Unnamed, key);

    /// <summary>The name part of a label: "Linux 3.11 and newer [4:64:...]" → "Linux 3.11 and newer"; a label without a key is its own name.</summary>
    public static string NameOf(string label)
    {
        int open = KeyStart(label);
        return open < 0 ? label : label[..open];
    }

    private static int KeyStart(string label) => label.IndexOf(" [", StringComparison.Ordinal);

    /// <summary>The key in "name [key]"; null for labels from sources that give no signature (pf, p0f's API, observation files).</summary>
    public static string? KeyOfLabel(string label)
    {
        int open = KeyStart(label);
        return open < 0 ? null : label[(open + 2)..].TrimEnd(']');
    }

    /// <summary>Whether a label carries a signature key.</summary>
    public static bool HasKey(string label) => KeyStart(label) >= 0;

    /// <summary>The key of p0f's raw_sig text ("4:49+15:0:1452:mss*45,7:mss,sok,ts,nop,ws:df,ecn:0"); null when it is not a TCP signature.</summary>
    public static string? FromP0fRawSignature(string raw)
    {
        var f = raw.Trim().Split(':');
        if (f.Length != 8 || f[0] is not ("4" or "6")) return null;
        int? ittl = InitialTtl(f[1]);
        if (ittl is null || !int.TryParse(f[2], NumberStyles.None, CultureInfo.InvariantCulture, out int olen) || !f[4].Contains(',', StringComparison.Ordinal)) return null;
        return $"{f[0]}:{ittl}:{olen}:*:{f[4]}:{f[5]}:{f[6]}:{f[7]}";
    }

    /// <summary>"64+0", "49+15" (observed TTL + distance p0f guessed), "100+?" (p0f could not guess), "64" or "57-" → the initial TTL.</summary>
    private static int? InitialTtl(string text)
    {
        int plus = text.IndexOf('+', StringComparison.Ordinal);
        string first = plus >= 0 ? text[..plus] : text.TrimEnd('-');
        if (!int.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out int ttl)) return null;
        if (plus >= 0 && text[(plus + 1)..] != "?")
        {
            if (!int.TryParse(text.AsSpan(plus + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int distance)) return null;
            ttl += distance;
        }
        return RoundTtl(ttl);
    }

    /// <summary>The usual initial TTLs: the first of 32, 64, 128, 255 at or above what was seen (p0f's guess_dist).</summary>
    public static int RoundTtl(int ttl) => ttl <= 32 ? 32 : ttl <= 64 ? 64 : ttl <= 128 ? 128 : 255;
}
