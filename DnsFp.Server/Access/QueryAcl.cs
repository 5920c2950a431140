using DnsFp.Server.Engine;
using DnsFp.Server.Lifecycle;

namespace DnsFp.Server.Access;

/// <summary>
/// Who may query: Server:Deny ranges never, and when Server:Allow is not empty only its ranges. Checked before a query
/// is read, from range sets searched without allocating; a reload swaps the whole rule set in one reference write,
/// so the answer path takes no lock.
/// </summary>
internal sealed class QueryAcl
{
    public enum Decision { Answer, Refuse, Drop }

    private sealed record Rules(RangeSet Allow, RangeSet Deny, DenyAction Action);

    private volatile Rules _rules = new(RangeSet.Empty, RangeSet.Empty, DenyAction.Refuse);

    public int AllowCount => _rules.Allow.Ranges.Length;
    public int DenyCount => _rules.Deny.Ranges.Length;

    public void Publish(AccessOptions options) => _rules = new(
        new RangeSet(options.Allow.Select(AddressRange.Parse)), new RangeSet(options.Deny.Select(AddressRange.Parse)), options.DenyAction);

    public Decision Decide(in Client client)
    {
        var rules = _rules;
        if (rules.Allow.IsEmpty && rules.Deny.IsEmpty) return Decision.Answer;
        bool denied = client.IsV4
            ? rules.Deny.Contains(client.V4) || (!rules.Allow.IsEmpty && !rules.Allow.Contains(client.V4))
            : rules.Deny.Contains(client.Address) || (!rules.Allow.IsEmpty && !rules.Allow.Contains(client.Address));
        if (!denied) return Decision.Answer;
        return rules.Action == DenyAction.Drop ? Decision.Drop : Decision.Refuse;
    }
}
