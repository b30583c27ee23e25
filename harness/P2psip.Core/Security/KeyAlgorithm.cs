using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;

namespace P2psip.Security;

/// <summary>
/// The key types of RELOAD identities: RSA with RSASSA-PKCS1-v1_5/SHA-256, which every implementation
/// must support (§6.3.4), and ECDSA on P-256 with SHA-256.
/// </summary>
public enum KeyAlgorithm
{
    Rsa2048,
    EcdsaP256,
}

/// <summary>Key generation and the X.509 signature algorithm name that goes with each key type.</summary>
public static class KeyPairs
{
    internal static readonly SecureRandom Random = new();

    public static AsymmetricCipherKeyPair Generate(KeyAlgorithm algorithm)
    {
        switch (algorithm)
        {
            case KeyAlgorithm.Rsa2048:
                // The platform's generator (OpenSSL) is an order of magnitude faster than BouncyCastle's.
                using (var rsa = System.Security.Cryptography.RSA.Create(2048))
                    return DotNetUtilities.GetRsaKeyPair(rsa.ExportParameters(includePrivateParameters: true));
            case KeyAlgorithm.EcdsaP256:
                var ec = new ECKeyPairGenerator("EC");
                ec.Init(new ECKeyGenerationParameters(SecObjectIdentifiers.SecP256r1, Random));
                return ec.GenerateKeyPair();
            default:
                throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "unknown key algorithm");
        }
    }

    /// <summary>The key type of a public key, or null for a type RELOAD identities do not use.</summary>
    public static KeyAlgorithm? AlgorithmOf(AsymmetricKeyParameter publicKey) => publicKey switch
    {
        RsaKeyParameters { IsPrivate: false } r when r.Modulus.BitLength >= 2048 => KeyAlgorithm.Rsa2048,
        ECPublicKeyParameters ec when ec.Parameters.Curve.FieldSize == 256 => KeyAlgorithm.EcdsaP256,
        _ => null,
    };

    /// <summary>The X.509/PKCS#10 signature algorithm for a signing key (always SHA-256).</summary>
    public static string X509SignatureName(AsymmetricKeyParameter key) =>
        key is RsaKeyParameters ? "SHA256WITHRSA" : "SHA256WITHECDSA";
}
