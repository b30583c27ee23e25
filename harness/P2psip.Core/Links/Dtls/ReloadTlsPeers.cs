using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;
using P2psip.Security;
using P2psip.Wire;
using BcCertificate = Org.BouncyCastle.Tls.Certificate;
using BcSignatureAndHashAlgorithm = Org.BouncyCastle.Tls.SignatureAndHashAlgorithm;

namespace P2psip.Links.Dtls;

/// <summary>Credentials and certificate checks shared by the DTLS client and server ends (§6.6.4, §13.3).</summary>
internal static class ReloadTlsCredentials
{
    internal static readonly BcTlsCrypto Crypto = new(KeyPairs.Random);

    public static TlsCredentialedSigner? Signer(TlsContext context, Identity? identity)
    {
        if (identity is null) return null;
        var certificate = new BcCertificate([Crypto.CreateCertificate(identity.Certificate.Der)]);
        var algorithm = identity.PrivateKey is Org.BouncyCastle.Crypto.Parameters.ECPrivateKeyParameters
            ? BcSignatureAndHashAlgorithm.GetInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa)
            : BcSignatureAndHashAlgorithm.GetInstance(HashAlgorithm.sha256, SignatureAlgorithm.rsa);
        return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), Crypto, identity.PrivateKey, certificate, algorithm);
    }

    public static CertificateCheck Check(BcCertificate? presented, LinkSecurity security, Opaque? expectedNodeId) =>
        presented is null || presented.IsEmpty
            ? CertificateCheck.Refuse("the peer presented no certificate")
            : security.Validator.Check(presented.GetCertificateAt(0).GetEncoded(), expectedNodeId);

    /// <summary>Suites for the key type at hand: ECDHE with ECDSA or RSA signatures, AES-GCM.</summary>
    public static int[] Suites(Identity? identity) => identity?.PrivateKey is Org.BouncyCastle.Crypto.Parameters.RsaKeyParameters
        ? [CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256]
        : [CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256];
}

/// <summary>The DTLS 1.2 server end: presents its identity, demands the client's, and checks it.</summary>
internal sealed class ReloadDtlsServer(LinkSecurity security, int handshakeTimeoutMillis) : DefaultTlsServer(ReloadTlsCredentials.Crypto)
{
    public CertificateCheck? PeerCheck { get; private set; }

    protected override ProtocolVersion[] GetSupportedVersions() => ProtocolVersion.DTLSv12.Only();
    protected override int[] GetSupportedCipherSuites() => ReloadTlsCredentials.Suites(security.Identity);
    public override int GetHandshakeTimeoutMillis() => handshakeTimeoutMillis;

    public override CertificateRequest GetCertificateRequest() => new(
        [ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign],
        TlsUtilities.GetDefaultSupportedSignatureAlgorithms(m_context), null);

    public override void NotifyClientCertificate(BcCertificate clientCertificate)
    {
        PeerCheck = ReloadTlsCredentials.Check(clientCertificate, security, null);
        if (!PeerCheck.Accepted) throw new TlsFatalAlert(AlertDescription.bad_certificate, PeerCheck.Refusal);
    }

    protected override TlsCredentialedSigner GetECDsaSignerCredentials() => ReloadTlsCredentials.Signer(m_context, security.Identity)!;
    protected override TlsCredentialedSigner GetRsaSignerCredentials() => ReloadTlsCredentials.Signer(m_context, security.Identity)!;

    public override void NotifyHandshakeComplete()
    {
        base.NotifyHandshakeComplete();
        DtlsKeyLog.Record(m_context);
    }
}

/// <summary>The DTLS 1.2 client end: checks the server's certificate (and Node-ID when known) and presents its own.</summary>
internal sealed class ReloadDtlsClient(LinkSecurity security, Opaque? expectedNodeId, int handshakeTimeoutMillis) : DefaultTlsClient(ReloadTlsCredentials.Crypto)
{
    public CertificateCheck? PeerCheck { get; private set; }

    protected override ProtocolVersion[] GetSupportedVersions() => ProtocolVersion.DTLSv12.Only();
    protected override int[] GetSupportedCipherSuites() =>
        [CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256];
    public override int GetHandshakeTimeoutMillis() => handshakeTimeoutMillis;

    public override TlsAuthentication GetAuthentication() => new Authentication(this);

    public override void NotifyHandshakeComplete()
    {
        base.NotifyHandshakeComplete();
        DtlsKeyLog.Record(m_context);
    }

    private sealed class Authentication(ReloadDtlsClient client) : TlsAuthentication
    {
        public void NotifyServerCertificate(TlsServerCertificate serverCertificate)
        {
            client.PeerCheck = ReloadTlsCredentials.Check(serverCertificate.Certificate, client.Security, client.ExpectedNodeId);
            if (!client.PeerCheck.Accepted) throw new TlsFatalAlert(AlertDescription.bad_certificate, client.PeerCheck.Refusal);
        }

        public TlsCredentials? GetClientCredentials(CertificateRequest certificateRequest) =>
            ReloadTlsCredentials.Signer(client.Context, client.Security.Identity);
    }

    private LinkSecurity Security => security;
    private Opaque? ExpectedNodeId => expectedNodeId;
    private TlsContext Context => m_context;
}
