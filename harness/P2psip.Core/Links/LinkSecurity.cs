using P2psip.Security;

namespace P2psip.Links;

/// <summary>
/// What a secure link end needs (§6.6.1, §13.3): its own identity (null only to test a peer that
/// presents no certificate), the validator holding the overlay's roots, and where refusals are logged.
/// </summary>
public sealed record LinkSecurity(Identity? Identity, CertificateValidator Validator)
{
    /// <summary>Receives one line per refusal, with the reason in words.</summary>
    public Action<string>? Log { get; init; }

    internal void Refused(string who, string reason) => Log?.Invoke($"link refused ({who}): {reason}");
}
