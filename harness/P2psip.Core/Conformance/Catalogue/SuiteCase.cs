namespace P2psip.Conformance.Catalogue;

/// <summary>
/// The one builder of the catalogue's cases after the first: every such case needs the SUT to
/// answer a Ping first (<see cref="PcCases.PingAnswered"/>; otherwise it is inconclusive, never a
/// failure), and applies to the transports its set-up allows. The catalogue's files pass only what
/// differs.
/// </summary>
internal static class SuiteCase
{
    /// <summary>Transports whose links are bound to the far end's Node-ID by its certificate.</summary>
    public static readonly IReadOnlyList<SutTransport> BoundLinkTransports = [SutTransport.Tls, SutTransport.Dtls];

    public static ConformanceCase AfterPing(string id, string title, string[] threats, string[] rfc, CaseSetup setup,
        string stimulus, string oracle, Func<CaseContext, Task<Outcome>> run,
        string[]? detects = null, Requirement requirement = Requirement.Must, bool needsDriver = false) => new()
    {
        Id = id,
        Title = title,
        Threats = threats,
        Rfc = rfc,
        Requirement = requirement,
        Detects = detects ?? [],
        NeedsDriver = needsDriver,
        Needs = [PcCases.PingAnswered],
        Transports = setup.NeedsBoundLink ? BoundLinkTransports : [],
        Setup = setup.Text,
        Stimulus = stimulus,
        Oracle = oracle,
        Run = run,
    };
}
