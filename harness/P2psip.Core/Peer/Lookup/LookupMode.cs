using System.Globalization;

namespace P2psip.Peer.Lookup;

/// <summary>
/// How a peer looks a Resource-ID up: <c>plain</c>, one request routed to the responsible peer and
/// its answer taken as the transport gives it; or <c>redundant:d</c>, a walk the requester controls
/// to the replica set (§10.4) and a Fetch to its members over disjoint last hops, each answer verified
/// and the freshest kept (§13.6.6's "parallel searches for replicated registrations"; the
/// redundant-lookups defence); d buys the walk more failed steps and extensions (RedundantLookup).
/// </summary>
public readonly record struct LookupMode(int Paths)
{
    /// <summary>Paths when <c>redundant</c> is given without a number: S/Kademlia's and Castro et al.'s small d.</summary>
    public const int DefaultPaths = 3;
    public const int MaxPaths = 16;

    public static LookupMode Plain { get; } = new(1);
    public static LookupMode Redundant(int paths = DefaultPaths) => new(paths);

    public bool IsRedundant => Paths > 1;

    /// <summary>Reads <c>plain</c>, <c>redundant</c> or <c>redundant:d</c> (2 ≤ d ≤ 16); null and why when it is not one.</summary>
    public static LookupMode? Parse(string text, out string? why)
    {
        why = null;
        var t = text.Trim().ToLowerInvariant();
        if (t == "plain") return Plain;
        if (t == "redundant") return Redundant();
        if (t.StartsWith("redundant:", StringComparison.Ordinal)
            && int.TryParse(t["redundant:".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var d))
        {
            if (d is >= 2 and <= MaxPaths) return Redundant(d);
            why = $"'{text}': redundant:d needs 2 <= d <= {MaxPaths}";
            return null;
        }
        why = $"'{text}' is not a lookup mode (plain, redundant or redundant:d)";
        return null;
    }

    public override string ToString() => IsRedundant ? $"redundant:{Paths}" : "plain";
}
