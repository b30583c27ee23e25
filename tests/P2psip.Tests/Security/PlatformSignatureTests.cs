using FsCheck;
using FsCheck.Xunit;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;
using P2psip.Messages.Security;
using P2psip.Security;

namespace P2psip.Tests.Security;

/// <summary>
/// SignatureAlgorithms signs and verifies with the platform's twin of a key: what it signs must
/// verify under BouncyCastle (what other RELOAD implementations and the harness's earlier builds
/// check with), what BouncyCastle signs must verify here, and a bad value keeps BouncyCastle's reason.
/// </summary>
public class PlatformSignatureTests
{
    private static readonly TestPki Pki = TestPki.Shared;

    public static TheoryData<string> Keys => new() { "ecdsa", "rsa" };

    private static (Identity Who, SignatureAndHashAlgorithm Algorithm, string BouncyCastleName) Key(string kind) => kind == "rsa"
        ? (Pki.Carol, SignatureAndHashAlgorithm.RsaSha256, "SHA256WITHRSA")
        : (Pki.Alice, SignatureAndHashAlgorithm.EcdsaSha256, "SHA256WITHECDSA");

    private static bool BouncyCastleVerifies(AsymmetricKeyParameter publicKey, string name, byte[] input, byte[] signature)
    {
        var verifier = SignerUtilities.GetSigner(name);
        verifier.Init(false, publicKey);
        verifier.BlockUpdate(input);
        return verifier.VerifySignature(signature);
    }

    private static byte[] BouncyCastleSigns(AsymmetricKeyParameter privateKey, string name, byte[] input)
    {
        var signer = SignerUtilities.GetSigner(name);
        signer.Init(true, new ParametersWithRandom(privateKey, new SecureRandom()));
        signer.BlockUpdate(input);
        return signer.GenerateSignature();
    }

    [Property(MaxTest = 40)]
    public bool What_is_signed_here_verifies_under_BouncyCastle(byte[] input, bool rsa)
    {
        var (who, algorithm, name) = Key(rsa ? "rsa" : "ecdsa");
        var signature = SignatureAlgorithms.Sign(who.PrivateKey, algorithm, input);
        return BouncyCastleVerifies(who.Certificate.Certificate.GetPublicKey(), name, input, signature);
    }

    [Property(MaxTest = 40)]
    public bool What_BouncyCastle_signs_verifies_here(byte[] input, bool rsa)
    {
        var (who, algorithm, name) = Key(rsa ? "rsa" : "ecdsa");
        var signature = BouncyCastleSigns(who.PrivateKey, name, input);
        return SignatureAlgorithms.Verify(who.Certificate.Certificate.GetPublicKey(), algorithm, input, signature) is null;
    }

    [Theory]
    [MemberData(nameof(Keys))]
    public void Another_key_or_a_truncated_value_is_refused_with_BouncyCastles_reason(string kind)
    {
        var (who, algorithm, _) = Key(kind);
        byte[] input = [1, 2, 3];
        var signature = SignatureAlgorithms.Sign(who.PrivateKey, algorithm, input);
        var other = kind == "rsa" ? KeyPairs.Generate(KeyAlgorithm.Rsa2048) : KeyPairs.Generate(KeyAlgorithm.EcdsaP256);
        Assert.Equal("the signature does not verify", SignatureAlgorithms.Verify(other.Public, algorithm, input, signature));
        // A truncated DER value: refused (BouncyCastle's verifier reads it as not verifying).
        Assert.Equal("the signature does not verify", SignatureAlgorithms.Verify(who.Certificate.Certificate.GetPublicKey(), algorithm, input, signature[..^3]));
    }

    [Fact]
    public void A_key_on_another_curve_keeps_the_BouncyCastle_path()
    {
        var generator = new Org.BouncyCastle.Crypto.Generators.ECKeyPairGenerator("EC");
        generator.Init(new ECKeyGenerationParameters(Org.BouncyCastle.Asn1.Sec.SecObjectIdentifiers.SecP384r1, new SecureRandom()));
        var p384 = generator.GenerateKeyPair();
        byte[] input = [9, 8, 7];
        var signature = SignatureAlgorithms.Sign(p384.Private, SignatureAndHashAlgorithm.EcdsaSha256, input);
        Assert.True(BouncyCastleVerifies(p384.Public, "SHA256WITHECDSA", input, signature));
        Assert.Null(SignatureAlgorithms.Verify(p384.Public, SignatureAndHashAlgorithm.EcdsaSha256, input, signature));
    }
}
