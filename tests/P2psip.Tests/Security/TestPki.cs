using Org.BouncyCastle.Crypto;
using P2psip.Security;

namespace P2psip.Tests.Security;

/// <summary>
/// Keys and certificates shared by the security and link tests, made once per test run (key
/// generation dominates their cost): an overlay CA with two enrolled ECDSA identities, one RSA
/// identity, and the certificates each refusal case needs.
/// </summary>
public sealed class TestPki
{
    public const string Overlay = "test.overlay";
    private static readonly Lazy<TestPki> Instance = new(() => new TestPki());
    public static TestPki Shared => Instance.Value;

    private TestPki()
    {
        Ca = EnrollmentAuthority.Create(Overlay, maxNodesPerUser: 100);
        Ca.AddUser("alice@test.overlay", "alice-pw");
        Ca.AddUser("bob@test.overlay", "bob-pw");
        Ca.AddUser("carol@test.overlay", "carol-pw");
        Alice = Enroll("alice@test.overlay", "alice-pw", KeyAlgorithm.EcdsaP256);
        Bob = Enroll("bob@test.overlay", "bob-pw", KeyAlgorithm.EcdsaP256);
        Carol = Enroll("carol@test.overlay", "carol-pw", KeyAlgorithm.Rsa2048);

        OtherCa = EnrollmentAuthority.Create(Overlay);
        var mallory = KeyPairs.Generate(KeyAlgorithm.EcdsaP256);
        FromOtherCa = new Identity(mallory, OtherCa.Issue(mallory.Public, "mallory@test.overlay", [new byte[16]], DateTime.UtcNow.AddDays(-1), DateTime.UtcNow.AddDays(1)));
        var expiredKeys = KeyPairs.Generate(KeyAlgorithm.EcdsaP256);
        Expired = new Identity(expiredKeys, Ca.Issue(expiredKeys.Public, "old@test.overlay", [Enumerable.Repeat((byte)7, 16).ToArray()],
            DateTime.UtcNow.AddDays(-30), DateTime.UtcNow.AddDays(-1)));
        // A self-signed certificate that otherwise looks like an enrolled one.
        var selfCa = EnrollmentAuthority.Create(Overlay);
        SelfSigned = new Identity(selfCa.Keys, selfCa.Root);
    }

    public EnrollmentAuthority Ca { get; }
    public EnrollmentAuthority OtherCa { get; }
    public Identity Alice { get; }
    public Identity Bob { get; }
    public Identity Carol { get; }
    public Identity FromOtherCa { get; }
    public Identity Expired { get; }
    public Identity SelfSigned { get; }

    public CertificateValidator Validator => CertificateValidator.ForRoot(Ca.Root, Overlay);

    private Identity Enroll(string user, string password, KeyAlgorithm algorithm)
    {
        AsymmetricCipherKeyPair keys = KeyPairs.Generate(algorithm);
        var der = Ca.Enroll(user, password, CertificateRequests.Create(keys, user));
        return new Identity(keys, ReloadCertificate.FromDer(der).Certificate);
    }
}
