namespace DnsFp.Agent.Fingerprints.P0fFp;

/// <summary>
/// Reads a p0f v3 p0f.fp the way p0f 3.09b's readfp.c does and keeps the [tcp:request] (SYN) and [tcp:response]
/// (SYN+ACK, for the agent's probes) signatures, each list in file order, each signature under its label. Names are matched case-insensitively and printed as first spelled, as p0f does.
/// Where p0f would refuse to start (an unknown class, a malformed signature, a signature an earlier one already
/// covers), the line is reported with its number and skipped.
/// </summary>
internal sealed class P0fDatabase
{
    public required IReadOnlyList<P0fTcpSignature> SynSignatures { get; init; }
    public IReadOnlyList<P0fTcpSignature> ResponseSignatures { get; init; } = [];
    public required IReadOnlyList<SignatureProblem> Problems { get; init; }

    private enum Section { None, Mtu, TcpRequest, TcpResponse, Http }

    public static P0fDatabase Parse(IEnumerable<string> lines)
    {
        var signatures = new List<P0fTcpSignature>();
        var responses = new List<P0fTcpSignature>();
        var problems = new List<SignatureProblem>();
        var classes = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var names = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var section = Section.None;
        P0fLabel? label = null;
        bool labelBad = false;
        int number = 0;
        foreach (var raw in lines)
        {
            number++;
            var line = raw.TrimStart(' ', '\t').TrimEnd();
            if (line.Length == 0 || line[0] == ';') continue;
            void Problem(string message) => problems.Add(new SignatureProblem(number, message));

            if (line[0] == '[')
            {
                section = line switch
                {
                    "[mtu]" => Section.Mtu,
                    "[tcp:request]" => Section.TcpRequest,
                    "[tcp:response]" => Section.TcpResponse,
                    "[http:request]" or "[http:response]" => Section.Http,
                    _ => Section.None,
                };
                if (section == Section.None) Problem($"unrecognized section '{line}'");
                label = null;
                labelBad = false;
                continue;
            }
            int equals = line.IndexOf('=');
            if (equals <= 0) { Problem("unexpected statement (expected 'name = value')"); continue; }
            var key = line[..equals].TrimEnd(' ', '\t');
            var value = line[(equals + 1)..].TrimStart(' ', '\t');
            switch (key)
            {
                case "classes":
                    foreach (var c in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)) classes.Add(c);
                    break;
                case "label" when section == Section.Mtu:
                    break;
                case "label":
                    label = ParseLabel(value, classes, names, out var labelError);
                    labelBad = label is null;
                    if (labelError is not null) Problem(labelError);
                    break;
                case "sys":
                    foreach (var name in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                        if (!name.StartsWith('@')) names.TryAdd(name, name);
                    break;
                case "sig" when section is Section.TcpRequest or Section.TcpResponse:
                    {
                        var list = section == Section.TcpRequest ? signatures : responses;
                        if (label is null) { Problem(labelBad ? "signature under a label that was skipped" : "misplaced 'sig' (no label before it)"); break; }
                        var signature = P0fSignatureText.Parse(value, out var error);
                        if (signature is null) { Problem(error!); break; }
                        signature = signature with { Line = number, Label = label };
                        var covering = P0fMatcher.Find(list, signature, duplicateCheck: true);
                        if (covering.Signature is not null) { Problem($"signature is already covered by line {covering.Signature.Line}"); break; }
                        list.Add(signature);
                        break;
                    }
                case "sig" or "ua_os":
                    break;
                default:
                    Problem($"unrecognized field '{key}'");
                    break;
            }
        }
        return new P0fDatabase { SynSignatures = signatures, ResponseSignatures = responses, Problems = problems };
    }

    // "g|s:class|!:name:flavor"; the class must be one of "classes = ...".
    private static P0fLabel? ParseLabel(string value, HashSet<string> classes, Dictionary<string, string> names, out string? error)
    {
        error = null;
        var parts = value.Split(':', 4);
        if (parts.Length < 3 || parts[0] is not ("g" or "s")) { error = "malformed class entry"; return null; }
        bool userland = parts[1] == "!";
        if (!userland && !classes.Contains(parts[1])) { error = $"unknown class '{parts[1]}'"; return null; }
        var name = parts[2];
        if (name.Length == 0 || parts.Length < 4 || !name.All(c => char.IsAsciiLetterOrDigit(c) || " ./-_!?()".Contains(c)))
        { error = "malformed name"; return null; }
        if (!names.TryGetValue(name, out var spelled)) names[name] = spelled = name;
        var flavor = parts[3].Length > 0 ? parts[3] : null;
        return new P0fLabel(parts[0] == "g", userland, spelled, flavor);
    }
}
