using P2psip.Wire;

namespace P2psip.Overlay;

/// <summary>
/// One configuration element of an overlay configuration document (§11.1), with the RFC's defaults
/// for absent elements. Root certificates are DER bytes (base64 in the XML).
/// <code>
///   overlay-element &amp;= element configuration {
///       attribute instance-name { xsd:string }, attribute expiration { xsd:dateTime }?,
///       attribute sequence { xsd:long }?, foreign-attributes*, parameter }+
/// </code>
/// </summary>
public sealed record OverlayConfiguration
{
    public const string ChordReload = "CHORD-RELOAD";

    /// <summary>The overlay name.</summary>
    public required string InstanceName { get; init; }
    public DateTimeOffset? Expiration { get; init; }
    /// <summary>0..2^16-2, increasing with each new version.</summary>
    public long? Sequence { get; init; }
    public string TopologyPlugin { get; init; } = ChordReload;
    /// <summary>16..20 bytes, 16 by default.</summary>
    public int NodeIdLength { get; init; } = 16;
    public ValueList<Opaque> RootCertificates { get; init; } = ValueList<Opaque>.Empty;
    /// <summary>https URLs of enrollment servers.</summary>
    public ValueList<string> EnrollmentServers { get; init; } = ValueList<string>.Empty;
    /// <summary>Null when the element is absent; the digest attribute is in <see cref="SelfSignedDigest"/>.</summary>
    public bool? SelfSignedPermitted { get; init; }
    public string SelfSignedDigest { get; init; } = "sha1";
    public ValueList<BootstrapNode> BootstrapNodes { get; init; } = ValueList<BootstrapNode>.Empty;
    public int? TurnDensity { get; init; }
    public bool? ClientsPermitted { get; init; }
    public bool? NoIce { get; init; }
    public int? ChordUpdateInterval { get; init; }
    public int? ChordPingInterval { get; init; }
    public bool? ChordReactive { get; init; }
    public string? SharedSecret { get; init; }
    public uint MaxMessageSize { get; init; } = 5000;
    public int InitialTtl { get; init; } = 100;
    /// <summary>Milliseconds, at least 200 (§11.1).</summary>
    public int OverlayReliabilityTimer { get; init; } = 3000;
    /// <summary>Empty means the default, "TLS" (TLS and DTLS).</summary>
    public ValueList<string> OverlayLinkProtocols { get; init; } = ValueList<string>.Empty;
    /// <summary>Node-IDs in hex.</summary>
    public ValueList<string> ConfigurationSigners { get; init; } = ValueList<string>.Empty;
    public ValueList<string> KindSigners { get; init; } = ValueList<string>.Empty;
    public ValueList<string> BadNodes { get; init; } = ValueList<string>.Empty;
    public ValueList<string> MandatoryExtensions { get; init; } = ValueList<string>.Empty;
    /// <summary>Null when required-kinds is absent.</summary>
    public ValueList<KindDefinition>? RequiredKinds { get; init; }

    /// <summary>The Kinds every new overlay starts with: SIP-REGISTRATION and the two certificate Kinds.</summary>
    public static ValueList<KindDefinition> DefaultKinds { get; } =
        [KindDefinition.SipRegistration, KindDefinition.CertificateByNode, KindDefinition.CertificateByUser];

    /// <summary>The link protocols in force: the listed ones, or "TLS" when none is listed (§11.1).</summary>
    public IReadOnlyList<string> EffectiveLinkProtocols => OverlayLinkProtocols.Count > 0 ? OverlayLinkProtocols : ["TLS"];
}
