namespace DnsFp.Agent.Fingerprints.P0fFp;

/// <summary>
/// Parses the value of a "sig =" line of a [tcp:...] section the way p0f 3.09b's tcp_register_sig does, with its
/// limits and messages; returns null and the reason for a line p0f would refuse.
/// </summary>
internal static class P0fSignatureText
{
    public const int MaxOptions = 24;

    private static readonly (string Text, P0fQuirks Quirk, int NotForVersion)[] QuirkNames =
    [
        ("df", P0fQuirks.DontFragment, 6), ("id+", P0fQuirks.NonZeroId, 6), ("id-", P0fQuirks.ZeroId, 6), ("ecn", P0fQuirks.Ecn, 0),
        ("0+", P0fQuirks.NonZeroMustBeZero, 6), ("flow", P0fQuirks.FlowLabel, 4), ("seq-", P0fQuirks.ZeroSequence, 0),
        ("ack+", P0fQuirks.NonZeroAck, 0), ("ack-", P0fQuirks.ZeroAck, 0), ("uptr+", P0fQuirks.NonZeroUrgent, 0),
        ("urgf+", P0fQuirks.Urgent, 0), ("pushf+", P0fQuirks.Push, 0), ("ts1-", P0fQuirks.ZeroTimestamp1, 0),
        ("ts2+", P0fQuirks.NonZeroTimestamp2, 0), ("opt+", P0fQuirks.NonZeroEolPadding, 0), ("exws", P0fQuirks.ExcessiveScale, 0),
        ("bad", P0fQuirks.BadOptions, 0),
    ];

    private static readonly (string Text, byte Kind)[] OptionNames =
        [("nop", 1), ("mss", 2), ("ws", 3), ("sok", 4), ("sack", 5), ("ts", 8)];

    public static P0fTcpSignature? Parse(string value, out string? error)
    {
        error = null;
        var fields = value.Split(':');
        if (fields.Length != 8) { error = "malformed signature (expected ver:ittl:olen:mss:wsize,scale:olayout:quirks:pclass)"; return null; }
        int version = fields[0] switch { "4" => 4, "6" => 6, "*" => -1, _ => 0 };
        if (version == 0) { error = "unrecognized IP version"; return null; }

        // ittl, "ittl-" (random TTL) or "ttl+distance"
        var ttlText = fields[1];
        bool randomTtl = ttlText.EndsWith('-');
        if (randomTtl) ttlText = ttlText[..^1];
        int plus = ttlText.IndexOf('+');
        if (!Number(plus < 0 ? ttlText : ttlText[..plus], 1, 255, out int ttl) ||
            (plus >= 0 && (!Number(ttlText[(plus + 1)..], 0, 255, out int add) || (ttl += add) > 255)))
        { error = "bogus initial TTL"; return null; }

        if (!Number(fields[2], 0, 255, out int ipOptions)) { error = "bogus IP option length"; return null; }
        int mss = -1;
        if (fields[3] != "*" && !Number(fields[3], 0, 65535, out mss)) { error = "bogus MSS"; return null; }

        var windowAndScale = fields[4].Split(',');
        if (windowAndScale.Length != 2) { error = "malformed window size,scale"; return null; }
        if (!ParseWindow(windowAndScale[0], out int window, out var windowForm, out error)) return null;
        int scale = -1;
        if (windowAndScale[1] != "*" && !Number(windowAndScale[1], 0, 255, out scale)) { error = "bogus window scale"; return null; }

        if (!ParseLayout(fields[5], out var layout, out int eolPadding, out error)) return null;
        if (!ParseQuirks(fields[6], version, out var quirks, out error)) return null;
        int payload = fields[7] switch { "*" => -1, "0" => 0, "+" => 1, _ => -2 };
        if (payload == -2) { error = "malformed payload class"; return null; }

        return new P0fTcpSignature
        {
            IpVersion = version,
            Ttl = ttl,
            RandomTtl = randomTtl,
            IpOptionsLength = ipOptions,
            Mss = mss,
            Window = window,
            WindowForm = windowForm,
            WindowScale = scale,
            OptionLayout = layout,
            EolPadding = eolPadding,
            Quirks = quirks,
            PayloadClass = payload,
        };
    }

    private static bool ParseWindow(string text, out int window, out P0fWindowForm form, out string? error)
    {
        error = null;
        window = 0;
        form = P0fWindowForm.Normal;
        if (text == "*") { form = P0fWindowForm.Any; return true; }
        if (text.StartsWith('%'))
        {
            form = P0fWindowForm.Modulo;
            if (Number(text[1..], 2, 65535, out window)) return true;
            error = "bogus '%' value";
            return false;
        }
        if (text.StartsWith("mss*", StringComparison.Ordinal) || text.StartsWith("mtu*", StringComparison.Ordinal))
        {
            form = text[1] == 's' ? P0fWindowForm.MssMultiple : P0fWindowForm.MtuMultiple;
            if (Number(text[4..], 1, 1000, out window)) return true;
            error = "bogus MSS/MTU multiplier";
            return false;
        }
        if (Number(text, 0, 65535, out window)) return true;
        error = "bogus window size";
        return false;
    }

    private static bool ParseLayout(string text, out byte[] layout, out int eolPadding, out string? error)
    {
        var kinds = new List<byte>();
        layout = [];
        eolPadding = 0;
        error = null;
        if (text.Length > 0)
        {
            var items = text.Split(',');
            for (int i = 0; i < items.Length; i++)
            {
                var item = items[i];
                if (kinds.Count >= MaxOptions) { error = "too many TCP options"; return false; }
                if (item.StartsWith("eol+", StringComparison.Ordinal))
                {
                    if (i != items.Length - 1) { error = "EOL must be the last option"; return false; }
                    if (!Number(item[4..], 0, 255, out eolPadding)) { error = "bogus EOL padding"; return false; }
                    kinds.Add(0);
                }
                else if (item.StartsWith('?'))
                {
                    if (!Number(item[1..], 0, 255, out int kind)) { error = "bogus '?' option"; return false; }
                    kinds.Add((byte)kind);
                }
                else
                {
                    int known = Array.FindIndex(OptionNames, o => o.Text == item);
                    if (known < 0) { error = $"unrecognized TCP option '{item}'"; return false; }
                    kinds.Add(OptionNames[known].Kind);
                }
            }
        }
        layout = [.. kinds];
        return true;
    }

    private static bool ParseQuirks(string text, int version, out P0fQuirks quirks, out string? error)
    {
        quirks = P0fQuirks.None;
        error = null;
        if (text.Length == 0) return true;
        foreach (var item in text.Split(','))
        {
            int known = Array.FindIndex(QuirkNames, q => q.Text == item);
            if (known < 0) { error = $"unrecognized quirk '{item}'"; return false; }
            if (QuirkNames[known].NotForVersion == version) { error = $"'{item}' is not valid for IPv{version}"; return false; }
            quirks |= QuirkNames[known].Quirk;
        }
        return true;
    }

    private static bool Number(string text, int min, int max, out int value)
    {
        value = 0;
        if (text.Length == 0 || text.Length > 6 || !text.All(char.IsAsciiDigit)) return false;
        value = int.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
        return value >= min && value <= max;
    }
}
