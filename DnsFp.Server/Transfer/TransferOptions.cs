using System.ComponentModel.DataAnnotations;
using DnsFp.Contract;
using Microsoft.Extensions.Options;

namespace DnsFp.Server.Transfer;

/// <summary>
/// Section "Transfer": who may mirror the zones (AXFR, IXFR) and whom to NOTIFY when the serial moves. The rules are
/// written as NSD writes provide-xfr and notify: an address or CIDR range, then a TSIG key name or NOKEY.
/// <code>
/// "Transfer": {
///   "Allow":  [ "192.0.2.53 xfr-key", "2001:db8::/64 xfr-key", "127.0.0.1 NOKEY" ],
///   "Notify": [ "192.0.2.53 xfr-key", "198.51.100.7@5353 NOKEY" ],
///   "KeyFile": "/etc/dnsfp/transfer.key"
/// }
/// </code>
/// With no Allow rule (the default) nobody may transfer: AXFR and IXFR are REFUSED, as NSD does.
/// </summary>
public sealed class TransferOptions : IValidatableObject
{
    /// <summary>"address-or-CIDR KEYNAME|NOKEY": clients allowed to transfer, with the TSIG key they must sign with.</summary>
    public List<string> Allow { get; set; } = [];

    /// <summary>"address[@port] KEYNAME|NOKEY": secondaries told (RFC 1996) when the serial advances.</summary>
    public List<string> Notify { get; set; } = [];

    /// <summary>TSIG keys in BIND's syntax, as `tsig-keygen NAME` writes them; must not be readable by others.</summary>
    public string? KeyFile { get; set; }

    /// <summary>At most one round of NOTIFY per interval, however often the serial moves (default 10 s).</summary>
    [TimeSpanRange("00:00:00", "01:00:00")]
    public TimeSpan NotifyInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Bytes per transfer message (default 16 KB, as BIND and NSD; at most 65,535).</summary>
    [Range(1024, 65535)]
    public int MessageSize { get; set; } = 16384;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var text in Allow)
            if (!TransferRule.TryParse(text, requirePort: false, out _, out var problem)) yield return new($"Transfer:Allow: {problem}", [nameof(Allow)]);
        foreach (var text in Notify)
            if (!TransferRule.TryParse(text, requirePort: true, out _, out var problem)) yield return new($"Transfer:Notify: {problem}", [nameof(Notify)]);
        bool keysNamed = Allow.Concat(Notify).Any(t => TransferRule.TryParse(t, false, out var r, out _) && r.KeyName is not null);
        if (keysNamed && string.IsNullOrWhiteSpace(KeyFile))
            yield return new("Transfer: rules name a TSIG key but Transfer:KeyFile is not set", [nameof(KeyFile)]);
        if (!string.IsNullOrWhiteSpace(KeyFile))
        {
            string? problem = null;
            try
            {
                var keys = TsigKeyFile.Load(KeyFile);
                foreach (var text in Allow.Concat(Notify))
                    if (TransferRule.TryParse(text, false, out var r, out _) && r.KeyName is not null && !keys.ContainsKey(r.KeyName))
                        problem ??= $"Transfer: key '{r.KeyName}' (in '{text}') is not in {KeyFile}";
            }
            catch (Exception ex) when (ex is FormatException or IOException or UnauthorizedAccessException) { problem = ex.Message; }
            if (problem is not null) yield return new(problem, [nameof(KeyFile)]);
        }
    }
}

/// <summary>TransferOptions' checks, generated at compile time (no reflection: the native build keeps them).</summary>
[OptionsValidator]
public sealed partial class TransferOptionsValidator : IValidateOptions<TransferOptions>;
