using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.X509;
using P2psip.Overlay;
using P2psip.Security;

namespace P2psip.Conformance;

/// <summary>
/// The overlay the harness operates for a certification run (issue 13, "the test bed"): its CA,
/// its configuration document, and every identity the harness needs — its own peers and probes
/// with Node-IDs it chooses, the SUT's, and the deliberately bad ones (self-signed, another CA,
/// expired, not yet valid) the TR-1b/TR-3/UN-1b cases present. Node-IDs come from the run's seed.
/// </summary>
public sealed class CertificationLab
{
    public const string DefaultOverlayName = "certify.test";

    private readonly Random _random;
    private readonly Lazy<EnrollmentAuthority> _foreignCa;

    private CertificationLab(EnrollmentAuthority ca, OverlayConfiguration configuration, Identity sut, int seed, string? directory)
    {
        Ca = ca;
        Configuration = configuration;
        SutIdentity = sut;
        Directory = directory;
        _random = new Random(seed);
        _foreignCa = new(() => EnrollmentAuthority.Create("foreign." + configuration.InstanceName, configuration.NodeIdLength));
    }

    public EnrollmentAuthority Ca { get; }
    public OverlayConfiguration Configuration { get; }

    /// <summary>The identity the system under test uses (written by <c>certify init</c>, minted for embedded runs).</summary>
    public Identity SutIdentity { get; }

    /// <summary>Where the lab lives on disk, when it came from <c>certify init</c>.</summary>
    public string? Directory { get; }

    public string OverlayName => Configuration.InstanceName;

    /// <summary>The harness's default probe: an enrolled client of the overlay (user "probe").</summary>
    public Identity Probe => _probe ??= Issue("probe");
    private Identity? _probe;

    /// <summary>The validator the overlay's own peers use: its root certificates and instance name (§13.3).</summary>
    public CertificateValidator Validator => new([Ca.Root], OverlayName);

    /// <summary>A lab made in memory for one run: a new CA, the default Kinds, a SUT identity.</summary>
    public static CertificationLab Create(int seed, string overlayName = DefaultOverlayName, OverlayConfiguration? shape = null)
    {
        var ca = EnrollmentAuthority.Create(overlayName, maxNodesPerUser: 1000);
        var configuration = (shape ?? new OverlayConfiguration { InstanceName = overlayName }) with
        {
            InstanceName = overlayName,
            Sequence = shape?.Sequence ?? 1,
            RootCertificates = [ca.Root.GetEncoded()],
            OverlayLinkProtocols = shape?.OverlayLinkProtocols.Count > 0 ? shape.OverlayLinkProtocols : ["TLS", "DTLS"],
            RequiredKinds = shape?.RequiredKinds ?? OverlayConfiguration.DefaultKinds,
        };
        var random = new Random(seed ^ 0x5eed);
        var sut = Mint(ca, "sut@" + overlayName, NodeIdFrom(random, configuration.NodeIdLength), DateTime.UtcNow.AddDays(-1), DateTime.UtcNow.AddDays(365));
        return new CertificationLab(ca, configuration, sut, seed, null);
    }

    /// <summary>Opens a lab written by <c>certify init</c> (the files of <see cref="LabDirectory"/>).</summary>
    public static CertificationLab Load(string directory, int seed)
    {
        var (ca, document) = OverlayDirectory.Load(directory);
        var configuration = document.Configurations.Count > 0 ? document.Configurations[0].Configuration
            : throw new InvalidDataException($"{Path.Combine(directory, OverlayDirectory.ConfigurationFile)}: no configuration element");
        var sut = Identity.Load(Path.Combine(directory, LabDirectory.SutIdentityFolder));
        return new CertificationLab(ca, configuration, sut, seed, directory);
    }

    /// <summary>A fresh enrolled identity of this overlay; its Node-ID is the one given, or drawn from the run's seed.</summary>
    public Identity Issue(string user, byte[]? nodeId = null)
    {
        byte[] id;
        lock (_random) id = nodeId ?? NodeIdFrom(_random, Configuration.NodeIdLength);
        return Mint(Ca, user.Contains('@') ? user : $"{user}@{OverlayName}", id, DateTime.UtcNow.AddDays(-1), DateTime.UtcNow.AddDays(30));
    }

    /// <summary>An identity whose certificate carries several Node-IDs (NODE-MULTIPLE, Sybil cases).</summary>
    public Identity IssueMany(string user, int count)
    {
        var ids = new List<byte[]>();
        lock (_random) for (int i = 0; i < count; i++) ids.Add(NodeIdFrom(_random, Configuration.NodeIdLength));
        var keys = KeyPairs.Generate(KeyAlgorithm.EcdsaP256);
        return new Identity(keys, Ca.Issue(keys.Public, $"{user}@{OverlayName}", ids, DateTime.UtcNow.AddDays(-1), DateTime.UtcNow.AddDays(30)));
    }

    /// <summary>Issued by the overlay's CA but out of date (§13.3: certificates must be valid now).</summary>
    public Identity IssueExpired(string user)
    {
        byte[] id;
        lock (_random) id = NodeIdFrom(_random, Configuration.NodeIdLength);
        return Mint(Ca, $"{user}@{OverlayName}", id, DateTime.UtcNow.AddDays(-30), DateTime.UtcNow.AddDays(-2));
    }

    /// <summary>Well-formed, with a reload:// URI of this overlay, but from a CA the overlay does not trust.</summary>
    public Identity IssueForeign(string user, int nodeIds = 1, byte[]? nodeId = null)
    {
        var ids = new List<byte[]>();
        if (nodeId is not null) ids.Add(nodeId);
        lock (_random) for (int i = ids.Count; i < nodeIds; i++) ids.Add(NodeIdFrom(_random, Configuration.NodeIdLength));
        var keys = KeyPairs.Generate(KeyAlgorithm.EcdsaP256);
        return new Identity(keys, _foreignCa.Value.Issue(keys.Public, $"{user}@{OverlayName}", ids, DateTime.UtcNow.AddDays(-1), DateTime.UtcNow.AddDays(30)));
    }

    /// <summary>
    /// A self-signed certificate (issuer = subject, signed by its own key) carrying a reload:// URI
    /// of this overlay: what a Sybil without enrollment presents (UN-1b, §13.3 unless self-signed-permitted).
    /// </summary>
    public Identity IssueSelfSigned(string user, byte[]? nodeId = null)
    {
        byte[] id;
        lock (_random) id = nodeId ?? NodeIdFrom(_random, Configuration.NodeIdLength);
        var keys = KeyPairs.Generate(KeyAlgorithm.EcdsaP256);
        var name = new X509Name($"CN=self-signed {user}");
        var gen = new X509V3CertificateGenerator();
        gen.SetSerialNumber(BigInteger.ValueOf(Environment.TickCount64 & 0x7fff_ffff).Add(BigInteger.One));
        gen.SetIssuerDN(name);
        gen.SetSubjectDN(name);
        gen.SetNotBefore(DateTime.UtcNow.AddDays(-1));
        gen.SetNotAfter(DateTime.UtcNow.AddDays(30));
        gen.SetPublicKey(keys.Public);
        gen.AddExtension(X509Extensions.SubjectAlternativeName, false, new GeneralNames(
        [
            new GeneralName(GeneralName.Rfc822Name, $"{user}@{OverlayName}"),
            new GeneralName(GeneralName.UniformResourceIdentifier, ReloadUri.ForNode(id, OverlayName)),
        ]));
        var certificate = gen.Generate(new Asn1SignatureFactory(KeyPairs.X509SignatureName(keys.Private), keys.Private, KeyPairs.Random));
        return new Identity(keys, certificate);
    }

    /// <summary>A Node-ID drawn from the run's seed.</summary>
    public byte[] NewNodeId()
    {
        lock (_random) return NodeIdFrom(_random, Configuration.NodeIdLength);
    }

    private static Identity Mint(EnrollmentAuthority ca, string user, byte[] nodeId, DateTime notBefore, DateTime notAfter)
    {
        AsymmetricCipherKeyPair keys = KeyPairs.Generate(KeyAlgorithm.EcdsaP256);
        return new Identity(keys, ca.Issue(keys.Public, user, [nodeId], notBefore, notAfter));
    }

    private static byte[] NodeIdFrom(Random random, int length)
    {
        var id = new byte[length];
        random.NextBytes(id);
        return id;
    }
}
