using P2psip.Wire;

namespace P2psip.Adversary;

/// <summary>Who issues a harness identity's certificate when the scenario does not give key and certificate files.</summary>
public enum IdentityIssuer
{
    /// <summary>The lab's enrollment CA: an insider the overlay trusts.</summary>
    Lab,
    /// <summary>A CA the overlay does not know (TR-3, TR-1b).</summary>
    Foreign,
    /// <summary>A self-signed certificate (UN-1b: refused unless the overlay allows it).</summary>
    SelfSigned,
}

/// <summary>
/// A harness identity a scenario signs as (re-signing, forged answers, forged StoredData). Either
/// <see cref="KeyFile"/> and <see cref="CertificateFile"/> (PEM, relative to the scenario file), or
/// minted when the run starts by <see cref="IdentityIssuer"/> with the Node-IDs given (or, without
/// them, one derived from the seed and the name, so a run is repeatable).
/// </summary>
public sealed record ScenarioIdentity(string Name)
{
    public string? KeyFile { get; init; }
    public string? CertificateFile { get; init; }
    public string? User { get; init; }
    public ValueList<Opaque> NodeIds { get; init; } = ValueList<Opaque>.Empty;
    public IdentityIssuer Issuer { get; init; } = IdentityIssuer.Lab;
    /// <summary>A certificate whose validity ended yesterday (TR-1b).</summary>
    public bool Expired { get; init; }

    public bool FromFiles => KeyFile is not null || CertificateFile is not null;
}
