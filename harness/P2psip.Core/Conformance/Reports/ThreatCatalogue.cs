namespace P2psip.Conformance.Reports;

/// <summary>
/// The threat IDs of THREATS.md in its order (the draft's Figure 4 and Figure 6 tables, then the
/// protocol-conformance checks), with the attack each names, and the draft's section 6 open issues
/// with the threats that answer them. The reports' matrix rows come from here, so a threat with no
/// case shows as an empty row rather than vanishing.
/// </summary>
public static class ThreatCatalogue
{
    public sealed record Threat(string Id, string Attack);

    public sealed record OpenIssue(int Number, string Question, IReadOnlyList<string> AnsweredBy);

    /// <summary>Trusted overlay base (draft 5.1, Figure 4).</summary>
    public static IReadOnlyList<Threat> Trusted { get; } =
    [
        new("TR-1a", "Transport: message privacy"),
        new("TR-1b", "Transport: ID hijack"),
        new("TR-2a", "Unauthorized data operation: access"),
        new("TR-2b", "Unauthorized data operation: modification"),
        new("TR-2c", "Unauthorized data operation: removal"),
        new("TR-3", "Man in the middle while a client or peer authenticates"),
        new("TR-4a", "Data pollution: fake resource objects"),
        new("TR-4b", "Data pollution: malicious contact information"),
        new("TR-5", "Spam: lots of redundant resources"),
    ];

    /// <summary>Untrusted overlay base (draft 5.2, Figure 6).</summary>
    public static IReadOnlyList<Threat> Untrusted { get; } =
    [
        new("UN-1a", "Chosen-ID attack"),
        new("UN-1b", "Sybil attack"),
        new("UN-1c", "Fabricated response from an intermediate peer"),
        new("UN-2a", "Forwarding attack: discard messages"),
        new("UN-2b", "Forwarding attack: wrong next hop"),
        new("UN-2c", "Forwarding attack: modify messages"),
        new("UN-3", "Replay attack"),
        new("UN-4", "Routing table attack"),
        new("UN-5", "Churn-inducing attack"),
    ];

    /// <summary>Protocol conformance beyond the threats (RFC 6940), which the threat cases depend on.</summary>
    public static IReadOnlyList<Threat> ProtocolConformance { get; } =
    [
        new("PC-1", "Forwarding header checks (§6.3.2)"),
        new("PC-2", "TTL (§6.3.2)"),
        new("PC-3", "Via and Destination lists (§6.3.2.2)"),
        new("PC-4", "Transaction id echo (§6.3.2)"),
        new("PC-5", "Framing (§6.6.2, §6.6.3, §6.6.5)"),
        new("PC-6", "Error codes (§6.3.3.1, §14.9)"),
        new("PC-7", "Critical options and extensions (§6.3.2.3, §6.3.3)"),
        new("PC-8", "Size limits (§6.3.2, §11.1)"),
        new("PC-9", "Configuration sequence (§6.3.2.1, §6.5.4)"),
        new("PC-10", "Method answers (§6.4, §6.5, §10)"),
    ];

    /// <summary>Every threat ID, in THREATS.md's order.</summary>
    public static IReadOnlyList<Threat> All { get; } = [.. Trusted, .. Untrusted, .. ProtocolConformance];

    /// <summary>The draft's section 6 open issues and where THREATS.md answers them.</summary>
    public static IReadOnlyList<OpenIssue> OpenIssues { get; } =
    [
        new(1, "Verify a routing table learned from another peer?", ["UN-4"]),
        new(2, "Verify that the responder is responsible for the request?", ["UN-1c"]),
        new(3, "Detect misbehaving forwarding?", ["UN-2a", "UN-2b", "UN-2c"]),
        new(4, "Protect resource objects against unauthorized operations?", ["TR-2a", "TR-2b", "TR-2c"]),
        new(5, "Prevent malicious information and spam?", ["TR-4a", "TR-4b", "TR-5"]),
    ];

    /// <summary>
    /// The IDs to list for <paramref name="seen"/>: the catalogue's, then any others the cases name
    /// (ordinal order), so nothing a case reports is dropped.
    /// </summary>
    public static IReadOnlyList<string> RowsFor(IEnumerable<string> seen)
    {
        var known = All.Select(t => t.Id).ToList();
        var extra = seen.Distinct().Where(id => !known.Contains(id)).OrderBy(id => id, StringComparer.Ordinal);
        return [.. known, .. extra];
    }

    /// <summary>The order reports sort threat IDs in: the catalogue's, then the others.</summary>
    public static int Order(string id)
    {
        for (int i = 0; i < All.Count; i++)
            if (All[i].Id == id) return i;
        return All.Count;
    }
}
