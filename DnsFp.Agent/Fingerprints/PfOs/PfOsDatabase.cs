namespace DnsFp.Agent.Fingerprints.PfOs;

/// <summary>
/// Reads a pf.os file the way OpenBSD's pfctl (pfctl_osfp.c) does: '#' starts a comment, fields are separated by
/// ':' and trimmed, the window takes "*", "%n", "Sn", "Tn" or a number, the size "*" or "%n", options are
/// "." or a comma list of N, S, T, T0, M[*|%]n, W[*|%]n. A line pfctl would reject is reported and skipped.
/// </summary>
internal sealed class PfOsDatabase
{
    public required IReadOnlyList<PfOsSignature> Signatures { get; init; }
    public required IReadOnlyList<SignatureProblem> Problems { get; init; }

    public static PfOsDatabase Parse(IEnumerable<string> lines)
    {
        var signatures = new List<PfOsSignature>();
        var problems = new List<SignatureProblem>();
        int number = 0;
        foreach (var raw in lines)
        {
            number++;
            int hash = raw.IndexOf('#');
            var line = (hash >= 0 ? raw[..hash] : raw).Trim();
            if (line.Length == 0) continue;
            var error = TryParseLine(line, number, out var signature);
            if (error is null) signatures.Add(signature!);
            else problems.Add(new SignatureProblem(number, error));
        }
        return new PfOsDatabase { Signatures = signatures, Problems = problems };
    }

    private const int AllowAny = 1, AllowMss = 2, AllowMtu = 4, AllowModulo = 8;

    private static string? TryParseLine(string line, int number, out PfOsSignature? signature)
    {
        signature = null;
        var fields = line.Split(':');
        if (fields.Length < 9) return $"only {fields.Length} of 9 ':'-separated fields";
        if (fields.Length > 9) return "excess field";
        var f = fields.Select(x => x.Trim()).ToArray();
        // Every field is read (in pfctl's order) so the first complaint is the one pfctl would print.
        var complaints = new[]
        {
            ParseNumber(f[0], "window size", AllowAny | AllowMss | AllowMtu | AllowModulo, 0xFFFF, out int window, out var windowForm),
            ParseNumber(f[1], "ttl", 0, 0xFF, out int ttl, out _),
            ParseNumber(f[2], "don't fragment frag", 0, 1, out int df, out _),
            ParseNumber(f[3], "overall packet size", AllowAny | AllowModulo, 8192, out int size, out var sizeForm),
            ParseOptions(f[4], out var options, out int mss, out var mssForm, out int scale, out var scaleForm, out bool ts0),
            f[5].Length < 1 ? "too short OS class" : null,
            f[8].Length < 2 ? "too short OS description" : null,
        };
        var error = complaints.FirstOrDefault(c => c is not null);
        if (error is not null) return error;
        bool generic = f[5][0] == '@';
        string cls = f[5][0] is '@' or '*' ? f[5][1..] : f[5];
        if (cls.Equals("nomatch", StringComparison.OrdinalIgnoreCase)) return "fingerprint class \"nomatch\" is reserved";
        signature = new PfOsSignature
        {
            Line = number,
            Window = window,
            WindowForm = windowForm,
            Ttl = ttl,
            DontFragment = df == 1,
            PacketSize = size,
            PacketSizeForm = sizeForm,
            Options = options!,
            Mss = mss,
            MssForm = mssForm,
            WindowScale = scale,
            WindowScaleForm = scaleForm,
            TimestampZero = ts0,
            Class = cls,
            Version = f[6],
            Subtype = f[7],
            Generic = generic,
        };
        return null;
    }

    // pfctl's get_int: an optional S/T/*/% prefix (where the field allows it), then decimal digits up to max.
    private static string? ParseNumber(string field, string name, int allowed, int max, out int value, out PfOsValueForm form)
    {
        value = 0;
        form = PfOsValueForm.Exact;
        if (field.Length == 0) return $"empty {name}";
        int i = 0;
        char c = field[0];
        if (c is 'S' or 'T' or '*' or '%')
        {
            if (c == 'S' && (allowed & AllowMss) != 0) form = PfOsValueForm.MssMultiple;
            else if (c == 'T' && (allowed & AllowMtu) != 0) form = PfOsValueForm.MtuMultiple;
            else if (c == '*' && field.Length != 1) return $"long '*' {name}";
            else if (c == '*' && (allowed & AllowAny) != 0) { form = PfOsValueForm.Any; return null; }
            else if (c is '*' or '%' && (allowed & AllowModulo) != 0)
            {
                form = PfOsValueForm.Modulo;
                if (field.Length == 1) return $"modulus {name} must have a value";
            }
            if (form == PfOsValueForm.Exact) return $"does not allow {c}' {name}";
            if (field.Length == 1) return null;      // "S" or "T" alone: multiplier 0, as pfctl reads it
            i = 1;
        }
        long v = 0;
        for (; i < field.Length; i++)
        {
            if (field[i] is < '0' or > '9') return $"non-digit character in {name}";
            v = v * 10 + (field[i] - '0');
            if (v > int.MaxValue) return $"{name} overflowed";
        }
        if (v > max) return $"{name} value {v} > {max}";
        value = (int)v;
        return null;
    }

    // pfctl packs options 3 bits each into 64 bits and stops reading the list after 21.
    private const int MaxOptions = 21;

    // pfctl's get_tcpopts. Letters it does not know still count as an option but add nothing to the layout, as there.
    private static string? ParseOptions(string text, out PfOsOption[]? options, out int mss, out PfOsValueForm mssForm,
        out int scale, out PfOsValueForm scaleForm, out bool ts0)
    {
        var list = new List<PfOsOption>();
        options = null;
        mss = 0; scale = 0; ts0 = false;
        mssForm = PfOsValueForm.Any; scaleForm = PfOsValueForm.Any;
        if (text.Length == 0) return "too short TCP Options";
        if (text == ".") { options = []; return null; }
        int i = 0;
        while (i < text.Length && list.Count < MaxOptions)
        {
            char opt = char.ToUpperInvariant(text[i++]);
            switch (opt)
            {
                case 'N': list.Add(PfOsOption.Nop); break;
                case 'S': list.Add(PfOsOption.SackPermitted); break;
                case 'T':
                    if (i < text.Length && text[i] == '0') { ts0 = true; i++; }
                    list.Add(PfOsOption.Timestamp);
                    break;
                case 'W' or 'M':
                    {
                        list.Add(opt == 'W' ? PfOsOption.WindowScale : PfOsOption.Mss);
                        var form = PfOsValueForm.Exact;
                        int value = 0;
                        if (i < text.Length && text[i] == '*' && (i + 1 == text.Length || text[i + 1] == ',')) { form = PfOsValueForm.Any; i++; }
                        else
                        {
                            if (i < text.Length && text[i] == '%') { form = PfOsValueForm.Modulo; i++; }
                            do
                            {
                                if (i >= text.Length || !char.IsAsciiDigit(text[i]))
                                    return $"unknown character '{(i < text.Length ? text[i] : ' ')}' in {opt} TCP opt";
                                value = value * 10 + (text[i++] - '0');
                            } while (i < text.Length && text[i] != ',');
                        }
                        if (opt == 'W') { scale = value; scaleForm = form; } else { mss = value; mssForm = form; }
                        break;
                    }
                default: list.Add(PfOsOption.Unnamed); break;
            }
            if (i >= text.Length) break;
            if (text[i] != ',') return $"unknown option to {opt} TCP opt";
            i++;
        }
        options = [.. list];
        return null;
    }
}
