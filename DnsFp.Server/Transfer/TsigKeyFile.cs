using System.Text.RegularExpressions;

namespace DnsFp.Server.Transfer;

/// <summary>
/// Reads TSIG keys in BIND's syntax, which `tsig-keygen NAME` prints and NSD and Knot operators know:
/// <c>key "xfr-key" { algorithm hmac-sha256; secret "base64"; };</c>. The file holds secrets, so it is refused when
/// anyone but its owner and group can read it (as ssh refuses a private key).
/// </summary>
internal static partial class TsigKeyFile
{
    [GeneratedRegex("""key\s+"?(?<name>[^"\s{]+)"?\s*\{(?<body>[^}]*)\}\s*;?""", RegexOptions.IgnoreCase)]
    private static partial Regex KeyClause();

    [GeneratedRegex("""algorithm\s+"?(?<value>[A-Za-z0-9.-]+)"?\s*;""", RegexOptions.IgnoreCase)]
    private static partial Regex Algorithm();

    [GeneratedRegex("""secret\s+"(?<value>[^"]+)"\s*;""", RegexOptions.IgnoreCase)]
    private static partial Regex Secret();

    public static Dictionary<string, TsigKey> Load(string path)
    {
        if (!File.Exists(path)) throw new FormatException($"Transfer:KeyFile '{path}' does not exist (create it with: tsig-keygen xfr-key > {path}; chmod 0640 {path})");
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & (UnixFileMode.OtherRead | UnixFileMode.OtherWrite)) != 0)
            throw new FormatException($"Transfer:KeyFile '{path}' holds secrets but others can read it: chmod o-rw {path}");
        return Parse(File.ReadAllText(path), path);
    }

    public static Dictionary<string, TsigKey> Parse(string text, string source)
    {
        var keys = new Dictionary<string, TsigKey>(StringComparer.OrdinalIgnoreCase);
        foreach (Match m in KeyClause().Matches(text))
        {
            string name = m.Groups["name"].Value;
            string body = m.Groups["body"].Value;
            var algorithm = Algorithm().Match(body);
            var secret = Secret().Match(body);
            if (!algorithm.Success || !secret.Success) throw new FormatException($"{source}: key '{name}' needs 'algorithm ...;' and 'secret \"...\";'");
            byte[] bytes;
            try { bytes = Convert.FromBase64String(secret.Groups["value"].Value); }
            catch (FormatException) { throw new FormatException($"{source}: key '{name}': the secret is not base64"); }
            var key = new TsigKey(name, algorithm.Groups["value"].Value, bytes);
            keys[key.Name] = key;
        }
        if (keys.Count == 0) throw new FormatException($"{source}: no 'key \"name\" {{ algorithm ...; secret \"...\"; }};' clause found");
        return keys;
    }
}
