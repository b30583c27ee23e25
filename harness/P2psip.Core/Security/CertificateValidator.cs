using Org.BouncyCastle.X509;
using P2psip.Wire;

namespace P2psip.Security;

/// <summary>
/// Checks a certificate presented by a peer against the overlay's roots (§11.3: it must chain back to
/// a root-cert, with PKIX BasicConstraints), its validity period at the current time (§7.1), its
/// Node-IDs against an expected one (§6.6.1: a link to a known Node-ID), and the bad-node list (§11.1).
/// Each refusal says why in words.
/// </summary>
public sealed class CertificateValidator
{
    private readonly IReadOnlyList<X509Certificate> _roots;

    public CertificateValidator(IEnumerable<X509Certificate> roots, string? overlay = null, IEnumerable<string>? badNodes = null)
    {
        _roots = roots.ToArray();
        Overlay = overlay;
        BadNodes = new HashSet<string>((badNodes ?? []).Select(b => b.Trim()), StringComparer.OrdinalIgnoreCase);
    }

    public static CertificateValidator ForRoot(X509Certificate root, string? overlay = null) => new([root], overlay);

    public string? Overlay { get; }
    public IReadOnlySet<string> BadNodes { get; }
    /// <summary>The clock checks use; tests may move it.</summary>
    public Func<DateTime> Now { get; init; } = () => DateTime.UtcNow;

    /// <summary>
    /// The vulnerable variant of the certificate-validation defence (§13.3, TR-1b, TR-3): skips the
    /// chain, CA, validity-period and self-signed checks, still reading Node-IDs from the certificate.
    /// Off by default; only a peer whose certificate-validation defence is switched off sets it.
    /// </summary>
    public bool Permissive { get; init; }

    /// <summary>
    /// The configuration's self-signed-permitted (§11.1): a self-signed certificate is accepted when
    /// its Node-ID is the <see cref="SelfSignedDigest"/> of its public key (§11.3.1, "nodes MUST check
    /// that the Node-ID and public keys match"). Off unless the overlay says so.
    /// </summary>
    public bool SelfSignedPermitted { get; init; }

    /// <summary>The self-signed-permitted element's digest attribute: "sha1" (the default) or "sha256".</summary>
    public string SelfSignedDigest { get; init; } = "sha1";

    /// <summary>The Node-ID length of the overlay (§11.1 node-id-length), for deriving self-signed Node-IDs.</summary>
    public int NodeIdLength { get; init; } = 16;

    public CertificateCheck Check(ReadOnlySpan<byte> der, Opaque? expectedNodeId = null)
    {
        if (der.IsEmpty) return CertificateCheck.Refuse("the peer presented no certificate");
        // A peer's certificate comes again on each of its links: parsed (and its signature checked) once.
        if (CertificateParseCache.Get(new Opaque(der.ToArray())) is { } known) return Check(known, expectedNodeId);
        ReloadCertificate cert;
        try { cert = ReloadCertificate.FromDer(der); }
        catch (Exception e) when (e is InvalidDataException or Org.BouncyCastle.Security.Certificates.CertificateException or IOException or ArgumentException)
        {
            return CertificateCheck.Refuse($"the peer's certificate cannot be parsed: {e.Message}");
        }
        return Check(cert, expectedNodeId);
    }

    public CertificateCheck Check(ReloadCertificate? cert, Opaque? expectedNodeId = null)
    {
        if (cert is null) return CertificateCheck.Refuse("the peer presented no certificate");
        var x = cert.Certificate;
        bool isRoot = _roots.Any(r => r.Equals(x));
        bool selfSigned = !isRoot && cert.IsSelfSigned;
        if (!Permissive && selfSigned && !SelfSignedPermitted)
            return CertificateCheck.Refuse($"the peer's certificate is self-signed (issuer {Describe(x.IssuerDN)}), not issued by the overlay's CA", cert);
        if (!Permissive && selfSigned && SelfSignedNodeIdProblem(cert) is { } theft)
            return CertificateCheck.Refuse(theft, cert);
        if (!Permissive)
        {
            if (!selfSigned)
            {
                var issuer = _roots.FirstOrDefault(r => r.SubjectDN.Equivalent(x.IssuerDN) && cert.VerifiesWith(r));
                if (issuer is null)
                    return CertificateCheck.Refuse($"the peer's certificate was issued by another CA ({Describe(x.IssuerDN)}), not by a root of this overlay", cert);
                if (issuer.GetBasicConstraints() < 0)
                    return CertificateCheck.Refuse("the issuing root is not a CA certificate (no BasicConstraints cA=true)", cert);
            }
            var now = Now();
            if (now > x.NotAfter)
                return CertificateCheck.Refuse($"the peer's certificate expired at {x.NotAfter:yyyy-MM-dd HH:mm:ss}Z", cert);
            if (now < x.NotBefore)
                return CertificateCheck.Refuse($"the peer's certificate is not valid before {x.NotBefore:yyyy-MM-dd HH:mm:ss}Z", cert);
        }
        if (cert.NodeIds.Count == 0)
            return CertificateCheck.Refuse("the peer's certificate carries no reload:// Node-ID", cert);
        if (Overlay is not null && !cert.Overlays.Contains(Overlay))
            return CertificateCheck.Refuse($"the peer's certificate is for overlay {string.Join(", ", cert.Overlays)}, not {Overlay}", cert);
        if (cert.NodeIds.FirstOrDefault(n => BadNodes.Contains(n.ToHex())) is { Length: > 0 } bad)
            return CertificateCheck.Refuse($"the peer's Node-ID {bad.ToHex()} is listed as a bad-node", cert);
        if (expectedNodeId is { } expected && !cert.NodeIds.Contains(expected))
            return CertificateCheck.Refuse(
                $"the peer's certificate does not carry the expected Node-ID {expected.ToHex()} (it carries {string.Join(", ", cert.NodeIds.Select(n => n.ToHex()))})", cert);
        return CertificateCheck.Accept(cert);
    }

    /// <summary>§11.3.1: each Node-ID of a self-signed certificate must be the digest of its public key (index-prefixed when there are several).</summary>
    private string? SelfSignedNodeIdProblem(ReloadCertificate cert)
    {
        var publicKey = cert.Certificate.GetPublicKey();
        for (int i = 0; i < cert.NodeIds.Count; i++)
        {
            Opaque expected;
            try
            {
                expected = cert.NodeIds.Count == 1
                    ? SelfSignedCredentials.NodeIdOf(publicKey, SelfSignedDigest, NodeIdLength)
                    : SelfSignedCredentials.NodeIdOf(publicKey, SelfSignedDigest, NodeIdLength, index: (uint)(i + 1));
            }
            catch (ArgumentException e)
            {
                return $"the peer's self-signed certificate cannot be checked: {e.Message}";
            }
            if (cert.NodeIds[i] != expected)
                return $"the peer's self-signed certificate claims Node-ID {cert.NodeIds[i].ToHex()}, but its public key gives {expected.ToHex()} (§11.3.1)";
        }
        return null;
    }

    private static string Describe(Org.BouncyCastle.Asn1.X509.X509Name name)
    {
        var s = name.ToString();
        return s.Length == 0 ? "an empty name" : s;
    }
}
