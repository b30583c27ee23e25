using System.Security.Cryptography;
using P2psip.Messages;
using P2psip.Messages.Security;
using P2psip.Messages.Storage;
using P2psip.Wire;

namespace P2psip.Security;

/// <summary>
/// Signs and verifies whole messages (§6.3.4) over overlay || transaction_id || MessageContents ||
/// SignerIdentity, and StoredData (§7.1) over resource_id || kind || storage_time || StoredDataValue ||
/// SignerIdentity (the input is built by StoredDataSignature.Input, the only definition). The signer is named by cert_hash when its certificate has one Node-ID, by
/// cert_hash_node_id (H(NodeId || certificate)) when it has several.
/// </summary>
public static class MessageSigner
{
    /// <summary>
    /// Returns <paramref name="message"/> signed by <paramref name="identity"/>, with its certificate
    /// in the certificate bucket unless <paramref name="includeCertificate"/> is false.
    /// </summary>
    public static ReloadMessage Sign(ReloadMessage message, Identity identity, bool includeCertificate = true, Opaque? asNodeId = null)
    {
        var signer = IdentityFor(identity, asNodeId);
        var algorithm = SignatureAlgorithms.For(identity.PrivateKey);
        var value = SignatureAlgorithms.Sign(identity.PrivateKey, algorithm, ReloadCodec.SignatureInput(message, signer));
        ValueList<GenericCertificate> bucket = includeCertificate
            ? message.Security.Certificates.Any(c => c.Certificate.Span.SequenceEqual(identity.Certificate.Der))
                ? message.Security.Certificates
                : [.. message.Security.Certificates, GenericCertificate.OfX509(identity.Certificate.Der)]
            : message.Security.Certificates;
        return message with { Security = new SecurityBlock(bucket, new Signature(algorithm, signer, value)) };
    }

    /// <summary>The SignerIdentity an identity signs with (§6.3.4).</summary>
    public static SignerIdentity IdentityFor(Identity identity, Opaque? asNodeId = null)
    {
        var cert = identity.Certificate;
        if (cert.NodeIds.Count <= 1) return SignerIdentity.OfCertHash(cert.Hash);
        var nodeId = asNodeId ?? cert.NodeIds[0];
        if (!cert.NodeIds.Contains(nodeId)) throw new ArgumentException($"the certificate does not carry Node-ID {nodeId.ToHex()}", nameof(asNodeId));
        return new SignerIdentity(SignerIdentity.CertHashNodeId, SignatureAndHashAlgorithm.HashSha256, NodeIdHash(nodeId.Span, cert.Der));
    }

    /// <summary>H(NodeId || certificate) for cert_hash_node_id (§6.3.4).</summary>
    public static byte[] NodeIdHash(ReadOnlySpan<byte> nodeId, ReadOnlySpan<byte> certificateDer)
    {
        using var h = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        h.AppendData(nodeId);
        h.AppendData(certificateDer);
        return h.GetHashAndReset();
    }

    /// <summary>
    /// Verifies a message's signature. The signer's certificate is looked up in the message's
    /// certificate bucket, then in <paramref name="store"/>; when <paramref name="validator"/> is
    /// given the certificate must also pass it (§6.3.4: "verify the signature and the authorizing certificate").
    /// </summary>
    public static SignatureCheck Verify(ReloadMessage message, CertificateStore? store = null, CertificateValidator? validator = null)
    {
        var signature = message.Security.Signature;
        return VerifyOver(signature, ReloadCodec.SignatureInput(message, signature.Identity),
            message.Security.Certificates.Where(c => c.Type == GenericCertificate.X509).Select(c => c.Certificate), store, validator);
    }

    /// <summary>
    /// Signs a StoredData (§7.1) over the one definition of its input,
    /// <see cref="StoredDataSignature.Input(Opaque, uint, ulong, StoredDataValue, SignerIdentity)"/>.
    /// </summary>
    public static Signature SignStoredData(Identity identity, Opaque resourceId, uint kind, ulong storageTime, StoredDataValue value, Opaque? asNodeId = null)
    {
        var signer = IdentityFor(identity, asNodeId);
        var algorithm = SignatureAlgorithms.For(identity.PrivateKey);
        var input = StoredDataSignature.Input(resourceId, kind, storageTime, value, signer);
        return new Signature(algorithm, signer, SignatureAlgorithms.Sign(identity.PrivateKey, algorithm, input));
    }

    /// <summary>Returns <paramref name="data"/> signed by <paramref name="identity"/> for <paramref name="resourceId"/> and <paramref name="kind"/>.</summary>
    public static StoredData SignStoredData(Identity identity, Opaque resourceId, uint kind, StoredData data, Opaque? asNodeId = null) =>
        data with { Signature = SignStoredData(identity, resourceId, kind, data.StorageTime, data.Value, asNodeId) };

    /// <summary>
    /// Verifies a StoredData's signature (§7.1); the signer's certificate is looked up in the
    /// message's certificate bucket (DER), then in <paramref name="store"/>.
    /// </summary>
    public static SignatureCheck VerifyStoredData(Opaque resourceId, uint kind, StoredData data,
        IEnumerable<Opaque> bucket, CertificateStore? store = null, CertificateValidator? validator = null) =>
        VerifyStoredData(resourceId, kind, data, ParseAll(bucket), store, validator);

    /// <summary>As above, with the bucket's certificates already parsed (a Store verifies many values against one bucket).</summary>
    public static SignatureCheck VerifyStoredData(Opaque resourceId, uint kind, StoredData data,
        IReadOnlyList<ReloadCertificate> candidates, CertificateStore? store = null, CertificateValidator? validator = null)
    {
        if (data.Signature is not { } signature) return SignatureCheck.Fail("the value of a Kind whose data model is unknown carries no readable signature");
        if (data.Value is UninterpretedValue) return SignatureCheck.Fail("the value of a Kind whose data model is unknown cannot be verified");
        return VerifyWith(signature, StoredDataSignature.Input(resourceId, kind, data, signature.Identity), candidates, store, validator);
    }

    /// <summary>The certificates of a bucket that parse (each parsed once, <see cref="CertificateParseCache"/>); the others are skipped.</summary>
    public static IReadOnlyList<ReloadCertificate> ParseAll(IEnumerable<Opaque> bucket)
    {
        var candidates = new List<ReloadCertificate>();
        foreach (var der in bucket)
            if (CertificateParseCache.Get(der) is { } certificate) candidates.Add(certificate);
        return candidates;
    }

    private static SignatureCheck VerifyOver(Signature signature, byte[] input, IEnumerable<Opaque> bucket, CertificateStore? store, CertificateValidator? validator) =>
        VerifyWith(signature, input, ParseAll(bucket), store, validator);

    private static SignatureCheck VerifyWith(Signature signature, byte[] input, IReadOnlyList<ReloadCertificate> candidates, CertificateStore? store, CertificateValidator? validator)
    {
        var identity = signature.Identity;
        if (identity.IdentityType is not (SignerIdentity.CertHash or SignerIdentity.CertHashNodeId))
            return SignatureCheck.Fail($"signer identity {SignerIdentity.TypeName(identity.IdentityType) ?? identity.IdentityType.ToString()} names no certificate");
        if (identity.HashAlgorithm != SignatureAndHashAlgorithm.HashSha256)
            return SignatureCheck.Fail($"certificate hash algorithm {SignatureAndHashAlgorithm.HashName(identity.HashAlgorithm) ?? identity.HashAlgorithm.ToString()} is not supported (sha256 is)");
        var cert = CertificateStore.Find(identity, candidates, out var nodeId)
            ?? (store is null ? null : CertificateStore.Find(identity, store.All, out nodeId));
        if (cert is null) return SignatureCheck.Fail("the signer's certificate is neither in the certificate bucket nor in the store");
        if (validator is not null && validator.Check(cert) is { Accepted: false } refused)
            return SignatureCheck.Fail($"the signer's certificate is not acceptable: {refused.Refusal}", cert);
        var problem = SignatureAlgorithms.Verify(cert.Certificate.GetPublicKey(), signature.Algorithm, input, signature.Value.Span);
        if (problem is not null) return SignatureCheck.Fail(problem, cert);
        return new SignatureCheck(cert, nodeId is null ? (cert.NodeIds.Count > 0 ? cert.NodeIds[0] : Opaque.Empty) : nodeId, null);
    }
}

/// <summary>The outcome of a signature check: the signer's certificate and Node-ID, or why it failed.</summary>
public sealed record SignatureCheck(ReloadCertificate? Certificate, Opaque SignerNodeId, string? Failure)
{
    public bool Valid => Failure is null;
    public static SignatureCheck Fail(string why, ReloadCertificate? cert = null) => new(cert, Opaque.Empty, why);
    public override string ToString() => Valid ? $"valid, signed by {SignerNodeId.ToHex()}" : $"invalid: {Failure}";
}
