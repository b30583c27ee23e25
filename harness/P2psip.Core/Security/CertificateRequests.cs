using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Pkcs;

namespace P2psip.Security;

/// <summary>
/// The client's PKCS#10 certificate signing request (§11.3): an empty subject and, in an
/// extensionRequest, the user name as an rfc822Name subjectAltName. A Node-ID the client would like
/// may be added as a reload:// URI; the server must ignore it and choose its own.
/// </summary>
public static class CertificateRequests
{
    public static byte[] Create(AsymmetricCipherKeyPair keys, string? userName, string? requestedNodeUri = null)
    {
        var names = new List<GeneralName>();
        if (userName is not null) names.Add(new GeneralName(GeneralName.Rfc822Name, userName));
        if (requestedNodeUri is not null) names.Add(new GeneralName(GeneralName.UniformResourceIdentifier, requestedNodeUri));
        DerSet? attributes = null;
        if (names.Count > 0)
        {
            var extensions = new X509ExtensionsGenerator();
            extensions.AddExtension(X509Extensions.SubjectAlternativeName, false, new GeneralNames(names.ToArray()));
            attributes = new DerSet(new AttributePkcs(PkcsObjectIdentifiers.Pkcs9AtExtensionRequest, new DerSet(extensions.Generate())));
        }
        var signer = new Asn1SignatureFactory(KeyPairs.X509SignatureName(keys.Private), keys.Private, KeyPairs.Random);
        return new Pkcs10CertificationRequest(signer, EmptyName, keys.Public, attributes).GetEncoded();
    }

    /// <summary>The empty distinguished name the RFC requires as subject (§11.3).</summary>
    internal static X509Name EmptyName => X509Name.GetInstance(DerSequence.Empty);
}
