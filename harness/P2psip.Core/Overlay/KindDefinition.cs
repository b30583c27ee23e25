namespace P2psip.Overlay;

/// <summary>
/// One kind-block of required-kinds (§11.1): a Kind named by its IANA name or by a private Kind-ID,
/// with its data model, access-control policy and limits, and the base64 kind-signature if any.
/// <code>
///   kind-block = element kind-block {
///       element kind { ( attribute name { kind-names } | attribute id { xsd:unsignedInt } ), kind-parameter }
///     &amp; element kind-signature { attribute algorithm { signature-algorithm-type }?, xsd:base64Binary }? }
/// </code>
/// </summary>
public sealed record KindDefinition
{
    /// <summary>The IANA name (e.g. SIP-REGISTRATION); null when the Kind is given by <see cref="Id"/>.</summary>
    public string? Name { get; init; }
    /// <summary>A Kind-ID from private space; null when the Kind is given by <see cref="Name"/>.</summary>
    public uint? Id { get; init; }
    /// <summary>SINGLE, ARRAY, DICTIONARY or an extension.</summary>
    public required string DataModel { get; init; }
    /// <summary>USER-MATCH, NODE-MATCH, USER-NODE-MATCH, NODE-MULTIPLE or an extension.</summary>
    public required string AccessControl { get; init; }
    public required int MaxCount { get; init; }
    public required int MaxSize { get; init; }
    /// <summary>Required when the policy is NODE-MULTIPLE (§11.1).</summary>
    public int? MaxNodeMultiple { get; init; }
    /// <summary>The kind-signature element's base64 text, kept as written.</summary>
    public string? KindSignature { get; init; }

    /// <summary>SIP-REGISTRATION (RFC 7904): a dictionary keyed by Node-ID under USER-NODE-MATCH.</summary>
    public static KindDefinition SipRegistration { get; } = new()
    {
        Name = "SIP-REGISTRATION", DataModel = "DICTIONARY", AccessControl = "USER-NODE-MATCH", MaxCount = 8, MaxSize = 1000,
    };

    /// <summary>CERTIFICATE_BY_NODE (§8): an array under NODE-MATCH.</summary>
    public static KindDefinition CertificateByNode { get; } = new()
    {
        Name = "CERTIFICATE_BY_NODE", DataModel = "ARRAY", AccessControl = "NODE-MATCH", MaxCount = 2, MaxSize = 4000,
    };

    /// <summary>CERTIFICATE_BY_USER (§8): an array under USER-MATCH.</summary>
    public static KindDefinition CertificateByUser { get; } = new()
    {
        Name = "CERTIFICATE_BY_USER", DataModel = "ARRAY", AccessControl = "USER-MATCH", MaxCount = 2, MaxSize = 4000,
    };

    public override string ToString() => Name ?? $"kind {Id}";
}
