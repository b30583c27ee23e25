using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;
using P2psip.Wire;

namespace P2psip.Security;

/// <summary>
/// An X.509 certificate read the RELOAD way (§11.3): the Node-IDs from its reload:// URI
/// subjectAltNames, the user name from its rfc822Name subjectAltName, and the SHA-256 hash that a
/// SignerIdentity of type cert_hash names (§6.3.4).
/// </summary>
public sealed class ReloadCertificate
{
    private static long _parsed;

    /// <summary>DER parses so far in this process (<see cref="FromDer"/> calls), for the resource-bound tests.</summary>
    public static long Parsed => Interlocked.Read(ref _parsed);

    public ReloadCertificate(X509Certificate certificate)
    {
        Certificate = certificate;
        Der = certificate.GetEncoded();
        Hash = System.Security.Cryptography.SHA256.HashData(Der);
        var nodeIds = new List<Opaque>();
        var overlays = new List<string>();
        var names = new List<string>();
        var san = certificate.GetExtensionValue(X509Extensions.SubjectAlternativeName);
        if (san is not null)
        {
            foreach (var name in GeneralNames.GetInstance(Asn1Object.FromByteArray(san.GetOctets())).GetNames())
            {
                if (name.TagNo == GeneralName.UniformResourceIdentifier
                    && ReloadUri.TryParseNode(DerIA5String.GetInstance(name.Name).GetString(), out var id, out var overlay))
                {
                    nodeIds.Add(id);
                    overlays.Add(overlay);
                }
                else if (name.TagNo == GeneralName.Rfc822Name)
                    names.Add(DerIA5String.GetInstance(name.Name).GetString());
            }
        }
        NodeIds = nodeIds.ToArray();
        Overlays = overlays.Distinct().ToArray();
        UserName = names.Count == 1 ? names[0] : null;
    }

    /// <summary>
    /// Parses a DER certificate; bytes that are not one throw <see cref="InvalidDataException"/>.
    /// BouncyCastle reports some malformed inputs with other exception types (e.g. a subjectAltName
    /// whose GeneralName has the wrong encoding throws InvalidOperationException, found by the peer
    /// fuzz target): they are turned into InvalidDataException, so that callers that skip bad
    /// certificates (§6.3.4 bucket) skip them instead of failing.
    /// </summary>
    public static ReloadCertificate FromDer(ReadOnlySpan<byte> der)
    {
        Interlocked.Increment(ref _parsed);
        try
        {
            return new(new X509CertificateParser().ReadCertificate(der.ToArray())
                ?? throw new InvalidDataException("no certificate in the bytes given"));
        }
        catch (Exception e) when (e is InvalidOperationException or InvalidCastException or FormatException)
        {
            throw new InvalidDataException($"not a well-formed certificate: {e.Message}", e);
        }
    }

    public X509Certificate Certificate { get; }
    public byte[] Der { get; }
    /// <summary>SHA-256 of the DER encoding.</summary>
    public byte[] Hash { get; }
    public ValueList<Opaque> NodeIds { get; }
    public IReadOnlyList<string> Overlays { get; }
    /// <summary>The single rfc822Name, or null when there is none or more than one.</summary>
    public string? UserName { get; }

    public bool IsSelfSigned => Certificate.IssuerDN.Equivalent(Certificate.SubjectDN) && VerifiesWith(Certificate);

    // The issuer this certificate's signature last verified with: the check is a pure function of the
    // two certificates' bytes, and a parsed certificate (CertificateParseCache) is checked for every
    // message it signs, so it is done once per issuer (the validity period, bad-nodes and Node-IDs are
    // still checked every time by CertificateValidator).
    private X509Certificate? _verifiedBy;

    public bool VerifiesWith(X509Certificate issuer)
    {
        if (_verifiedBy is { } known && (ReferenceEquals(known, issuer) || known.Equals(issuer))) return true;
        try
        {
            Certificate.Verify(issuer.GetPublicKey());
            _verifiedBy = issuer;
            return true;
        }
        catch (Exception e) when (e is Org.BouncyCastle.Security.InvalidKeyException or Org.BouncyCastle.Security.Certificates.CertificateException
            or Org.BouncyCastle.Security.SignatureException or InvalidOperationException)
        {
            return false;
        }
    }

    public override string ToString() =>
        $"user {UserName ?? "(none)"}, Node-ID{(NodeIds.Count == 1 ? "" : "s")} {string.Join(", ", NodeIds.Select(n => n.ToHex()))}";
}
