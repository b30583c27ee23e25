using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.X509;
using P2psip.Wire;

namespace P2psip.Security;

/// <summary>
/// An enrolled identity: a key pair, its certificate, and the Node-IDs and user name the certificate
/// binds (§11.3). On disk it is <c>key.pem</c> (mode 0600) and <c>cert.pem</c>.
/// </summary>
public sealed class Identity
{
    public const string KeyFile = "key.pem", CertificateFile = "cert.pem";

    public Identity(AsymmetricCipherKeyPair keys, X509Certificate certificate)
    {
        Keys = keys;
        Certificate = new ReloadCertificate(certificate);
    }

    public AsymmetricCipherKeyPair Keys { get; }
    public ReloadCertificate Certificate { get; }
    public ValueList<Opaque> NodeIds => Certificate.NodeIds;
    /// <summary>The first Node-ID, the one a peer with one identity uses.</summary>
    public Opaque NodeId => Certificate.NodeIds.Count > 0 ? Certificate.NodeIds[0] : Opaque.Empty;
    public string? UserName => Certificate.UserName;
    public AsymmetricKeyParameter PrivateKey => Keys.Private;

    public void Save(string directory)
    {
        Directory.CreateDirectory(directory);
        PemFiles.WriteOwnerOnly(Path.Combine(directory, KeyFile), PemFiles.ToPem(Keys.Private));
        PemFiles.WriteOwnerOnly(Path.Combine(directory, CertificateFile), PemFiles.ToPem(Certificate.Certificate));
    }

    public static Identity Load(string directory) => new(
        PemFiles.ReadKeyPair(Path.Combine(directory, KeyFile)),
        PemFiles.ReadCertificate(Path.Combine(directory, CertificateFile)));

    public override string ToString() => Certificate.ToString();
}
