using P2psip.Security;
using P2psip.Wire;

namespace P2psip.Adversary;

/// <summary>
/// Turns the node names of a scenario into Node-IDs: a scenario node, an identity (its first
/// Node-ID), or a Node-ID or Resource-ID written in hex.
/// </summary>
public sealed class NodeResolver
{
    private readonly Dictionary<string, Opaque> _names = new(StringComparer.Ordinal);

    public NodeResolver(Scenario scenario, IReadOnlyDictionary<string, Identity>? identities = null)
    {
        foreach (var i in scenario.Identities)
        {
            if (identities is not null && identities.TryGetValue(i.Name, out var resolved)) _names[i.Name] = resolved.NodeId;
            else if (i.NodeIds.Count > 0) _names[i.Name] = i.NodeIds[0];
        }
        foreach (var n in scenario.Nodes) _names[n.Name] = n.NodeId;
    }

    public bool TryResolve(string reference, out Opaque id)
    {
        if (_names.TryGetValue(reference, out id)) return true;
        return TryHex(reference, out id);
    }

    public Opaque Resolve(string reference) => TryResolve(reference, out var id) ? id
        : throw new ArgumentException($"'{reference}' names no node, identity or hex Node-ID of the scenario");

    public NodeTarget Target(string reference) => new(reference, Resolve(reference));

    internal static bool TryHex(string text, out Opaque bytes)
    {
        bytes = Opaque.Empty;
        var s = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? text[2..] : text;
        if (s.Length == 0 || s.Length % 2 != 0 || !s.All(Uri.IsHexDigit)) return false;
        bytes = Convert.FromHexString(s);
        return true;
    }
}
