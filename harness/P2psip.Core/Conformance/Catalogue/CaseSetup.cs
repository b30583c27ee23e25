namespace P2psip.Conformance.Catalogue;

/// <summary>
/// How a case is set up, in words for the report, and what that set-up demands of the link:
/// <see cref="NeedsBoundLink"/> when the case has a harness peer act as the SUT's neighbour, or
/// has an answer routed back by Node-ID. The SUT learns the Node-ID behind a link from the
/// certificate presented on it (RFC 6940 §4.2.1, §13.3); a plaintext link binds none, so such
/// cases apply to TLS and DTLS only. Plain text converts to a set-up that needs no binding.
/// </summary>
internal readonly record struct CaseSetup(string Text, bool NeedsBoundLink = false)
{
    public static implicit operator CaseSetup(string text) => new(text);

    /// <summary>A set-up whose links must be bound to Node-IDs (a neighbour, or an answer routed by Node-ID).</summary>
    public static CaseSetup Bound(string text) => new(text, NeedsBoundLink: true);
}
