using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Pkcs;
using X509Certificate = Org.BouncyCastle.X509.X509Certificate;

namespace P2psip.Security;

/// <summary>Turns BouncyCastle keys and certificates into the platform's, for SslStream and Kestrel.</summary>
public static class DotNetCertificates
{
    public static X509Certificate2 WithPrivateKey(X509Certificate certificate, AsymmetricKeyParameter privateKey)
    {
        var store = new Pkcs12StoreBuilder().Build();
        store.SetKeyEntry("key", new AsymmetricKeyEntry(privateKey), [new X509CertificateEntry(certificate)]);
        using var pfx = new MemoryStream();
        const string password = "p2psip";
        store.Save(pfx, password.ToCharArray(), KeyPairs.Random);
        return X509CertificateLoader.LoadPkcs12(pfx.ToArray(), password, X509KeyStorageFlags.Exportable);
    }

    public static X509Certificate2 WithPrivateKey(Identity identity) => WithPrivateKey(identity.Certificate.Certificate, identity.PrivateKey);

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Identity, X509Certificate2> TlsCache = new();

    /// <summary>
    /// The identity as the platform's certificate for TLS handshakes, made once per identity: the
    /// PKCS#12 round trip (a key derivation of thousands of hashes) cost more than the handshake
    /// itself, once per link (the network fuzzer opens thousands). Shared: never dispose it.
    /// </summary>
    public static X509Certificate2 ForTls(Identity identity) => TlsCache.GetValue(identity, WithPrivateKey);

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Identity, System.Net.Security.SslStreamCertificateContext> ContextCache = new();

    /// <summary>
    /// <see cref="ForTls"/> with its chain built once (offline), for a TLS client: SslStream otherwise
    /// builds the local certificate's chain against the system's roots at every handshake.
    /// </summary>
    public static System.Net.Security.SslStreamCertificateContext TlsContext(Identity identity) =>
        ContextCache.GetValue(identity, id => System.Net.Security.SslStreamCertificateContext.Create(ForTls(id), additionalCertificates: null, offline: true));

    public static X509Certificate2 Public(X509Certificate certificate) => X509CertificateLoader.LoadCertificate(certificate.GetEncoded());
}
