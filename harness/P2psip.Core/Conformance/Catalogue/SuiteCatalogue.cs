namespace P2psip.Conformance.Catalogue;

/// <summary>The whole conformance suite, every case once, in catalogue order.</summary>
public static class SuiteCatalogue
{
    private static readonly Lazy<IReadOnlyList<ConformanceCase>> Cases = new(() =>
        PcCases.All()
            .Concat(MorePcCases.All())
            .Concat(TransportSecurityCases.All())
            .Concat(StorageCases.All())
            .Concat(ReplayAndRoutingCases.All())
            .Concat(ForwardingCases.All())
            .ToList());

    public static IReadOnlyList<ConformanceCase> All => Cases.Value;

    /// <summary>The case with this ID, or null.</summary>
    public static ConformanceCase? Find(string id) => All.FirstOrDefault(c => string.Equals(c.Id, id, StringComparison.OrdinalIgnoreCase));
}
