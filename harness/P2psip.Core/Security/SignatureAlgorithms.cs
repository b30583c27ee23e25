using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;
using P2psip.Messages.Security;

namespace P2psip.Security;

/// <summary>
/// Raw signing and verification for RELOAD's Signature (§6.3.4): RSASSA-PKCS1-v1_5 with SHA-256
/// (mandatory) and ECDSA P-256 with SHA-256 (DER-encoded r,s as in TLS). The platform's twin of
/// the key does the work where it can (<see cref="PlatformSignatureKey"/>); a signature it does not
/// verify is judged again by BouncyCastle, so the verdict and its reason stay BouncyCastle's.
/// </summary>
public static class SignatureAlgorithms
{
    public static SignatureAndHashAlgorithm For(AsymmetricKeyParameter key) => key switch
    {
        RsaKeyParameters => SignatureAndHashAlgorithm.RsaSha256,
        ECKeyParameters => SignatureAndHashAlgorithm.EcdsaSha256,
        _ => throw new ArgumentException($"no RELOAD signature algorithm for a {key.GetType().Name}", nameof(key)),
    };

    public static byte[] Sign(AsymmetricKeyParameter privateKey, SignatureAndHashAlgorithm algorithm, ReadOnlySpan<byte> input)
    {
        if (PlatformSignatureKey.For(privateKey, algorithm) is { } platform) return platform.Sign(input);
        var signer = SignerUtilities.GetSigner(NameOf(algorithm) ?? throw new ArgumentException($"unsupported signature algorithm {algorithm}", nameof(algorithm)));
        signer.Init(true, new ParametersWithRandom(privateKey, KeyPairs.Random));
        signer.BlockUpdate(input);
        return signer.GenerateSignature();
    }

    /// <summary>Null when the signature verifies, else why not.</summary>
    public static string? Verify(AsymmetricKeyParameter publicKey, SignatureAndHashAlgorithm algorithm, ReadOnlySpan<byte> input, ReadOnlySpan<byte> signature)
    {
        var name = NameOf(algorithm);
        if (name is null) return $"unsupported signature algorithm {algorithm}";
        if ((algorithm.Signature == SignatureAndHashAlgorithm.SignatureRsa) != publicKey is RsaKeyParameters)
            return $"algorithm {algorithm} does not match the certificate's {(publicKey is RsaKeyParameters ? "RSA" : "EC")} key";
        if (PlatformSignatureKey.For(publicKey, algorithm) is { } platform && platform.Verify(input, signature)) return null;
        // Not verified there (or not a platform key): BouncyCastle gives the verdict and says why.
        var verifier = SignerUtilities.GetSigner(name);
        verifier.Init(false, publicKey);
        verifier.BlockUpdate(input);
        try
        {
            return verifier.VerifySignature(signature.ToArray()) ? null : "the signature does not verify";
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or CryptoException)
        {
            return $"the signature value is malformed: {e.Message}";
        }
    }

    private static string? NameOf(SignatureAndHashAlgorithm a) => (a.Hash, a.Signature) switch
    {
        (SignatureAndHashAlgorithm.HashSha256, SignatureAndHashAlgorithm.SignatureRsa) => "SHA256WITHRSA",
        (SignatureAndHashAlgorithm.HashSha256, SignatureAndHashAlgorithm.SignatureEcdsa) => "SHA256WITHECDSA",
        _ => null,
    };
}
