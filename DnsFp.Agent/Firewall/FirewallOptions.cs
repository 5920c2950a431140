using System.ComponentModel.DataAnnotations;
using System.Net;
using DnsFp.Contract;

namespace DnsFp.Agent.Firewall;

/// <summary>
/// Section "Agent:Firewall": keep a PF table or nftables sets of the addresses dnsfp lists in the chosen bands,
/// learned by zone transfer from a dnsfp server (or any secondary of it), so the agent needs no Redis rights for it.
/// </summary>
public sealed class FirewallOptions : IValidatableObject
{
    /// <summary>"pf" or "nftables"; unset: no firewall feed.</summary>
    public string? Kind { get; set; }

    /// <summary>The dnsfp zone to transfer. Default fp.example.org.</summary>
    [Required]
    public string Zone { get; set; } = "fp.example.org";

    /// <summary>The DNS server to transfer from (it must allow this host: Transfer:Allow "ADDRESS NOKEY"), address or address:port. Default 127.0.0.1:53.</summary>
    [Required]
    public string Server { get; set; } = "127.0.0.1:53";

    /// <summary>The A values whose addresses go into the table, as the MTA snippets list them: "127.0.0.19", "127.0.0.18,127.0.0.19" or "127.0.0.17-127.0.0.19". Default 127.0.0.19 (90–100 % spam).</summary>
    [Required]
    public string Bands { get; set; } = "127.0.0.19";

    /// <summary>How often the zone is checked for changes (an IXFR that is one SOA when nothing changed). Default 1 min.</summary>
    [TimeSpanRange("00:00:00.100", "1.00:00:00")]
    public TimeSpan Refresh { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Most addresses in the table; beyond it the highest bands are kept and the rest left out (logged). Default 200000, PF's default table-entries limit.</summary>
    [Range(1, 100_000_000)]
    public int MaxEntries { get; set; } = 200_000;

    /// <summary>The program that changes the table, with any prefix: "doas -n /sbin/pfctl", "nft". Default pfctl or nft.</summary>
    public string? Command { get; set; }

    /// <summary>PF: the table's name. nftables: the name of the inet table holding the sets "listed4" and "listed6". Default dnsfp.</summary>
    [Required, RegularExpression("^[A-Za-z][A-Za-z0-9_]{0,30}$", ErrorMessage = "Table: a name of letters, digits and _ (at most 31), starting with a letter")]
    public string Table { get; set; } = "dnsfp";

    internal bool Enabled => Kind is not null;

    internal string EffectiveCommand => Command ?? (Kind == "pf" ? "pfctl" : "nft");

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Kind is null) yield break;
        if (Kind is not ("pf" or "nftables"))
            yield return new ValidationResult($"Firewall:Kind: '{Kind}' is neither pf nor nftables", [nameof(Kind)]);
        if (!BandList.TryParse(Bands, out _, out string? bandProblem))
            yield return new ValidationResult($"Firewall:Bands: {bandProblem}", [nameof(Bands)]);
        if (!IPEndPoint.TryParse(Server, out _))
            yield return new ValidationResult($"Firewall:Server: '{Server}' is not an address or address:port (e.g. 127.0.0.1:53 or [2001:db8::53]:53)", [nameof(Server)]);
        if (string.IsNullOrWhiteSpace(EffectiveCommand))
            yield return new ValidationResult("Firewall:Command is empty", [nameof(Command)]);
    }

    /// <summary>The server to transfer from; port 53 when none is given.</summary>
    internal IPEndPoint ServerEndPoint()
    {
        var e = IPEndPoint.Parse(Server);
        return e.Port == 0 ? new IPEndPoint(e.Address, 53) : e;
    }
}
