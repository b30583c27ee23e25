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
        // A fixed RSA key: generating one takes seconds on a loaded machine.
        Carol = Enroll("carol@test.overlay", "carol-pw", PemFiles.ReadKeyPair(new StringReader(RsaKeyPem))!);

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

    private Identity Enroll(string user, string password, KeyAlgorithm algorithm) => Enroll(user, password, KeyPairs.Generate(algorithm));

    private Identity Enroll(string user, string password, AsymmetricCipherKeyPair keys)
    {
        var der = Ca.Enroll(user, password, CertificateRequests.Create(keys, user));
        return new Identity(keys, ReloadCertificate.FromDer(der).Certificate);
    }

    /// <summary>An RSA 2048 key made for these tests with openssl genrsa.</summary>
    private const string RsaKeyPem = """
        -----BEGIN PRIVATE KEY-----
        MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCu5Yh4cklKegkf
        ADJkCOaHGobNA4wjTkpRCC4Pmj7ONuq8Cz973/6uZDFKqyIk74fCbfKOnNpU1i14
        tBcV64WnQuwn51OCKOpMssA6NmdZwotzLamBPDiyVD7zMEo8kqUNOhSLOFOCGaB2
        ZY1htNB1lBDSO/XdxEYD+NdtzOmuidc4tCXK4O2UJVFCCahfe3q0WgXrfMzcr5VX
        XiqHrAZKrOmsyqFEJ5Hhud2pVn2soRsp4sSXq0j2ld2d7cghqbN4M/6ZEXYMDSJf
        klkyKiTKl/51ac7JOjZ8K7Xh5SM8QlItnN3pjSRhsdAVMt/ZobVMvV+H52ctIccF
        pZTUr5CjAgMBAAECggEAAfgRAbtTAdQQIxAd15o6NkpxopUo3wTwT/sK7sq2GbwL
        693NQSBSr1Xn8gz5h1a8QtMKrgZgBI8q8aTDWFArSdxxMZE4E5WdVqOwReAmyaMP
        fAORmoUEcCxW7nEF4o7UJQ9sNnZ/FD0kg0NQ6PYHnVEZXBWkmAPnVPiTUPdtHjx8
        dHuadK65QjFgAQ9LZG98KeOyV559osBzvM0GAWlSamkR8MLKx+lV7zKlwATGFvIg
        5Qv8q6kWaSoFCuM2MXtSxkBsNLBhSEnPs4n4H6Dzbxos0ChegP+kZMfJWqDJ+ouQ
        j7KawGoUsX2Z4EbHBxJFPXsPe80GBbO9Pk3cSZ6HuQKBgQDgCJbh0sQfe5s+z03g
        n4ShYm3J+ke2IoSziK783pndyhAQTpjU+fWq2/TMN1a1PX6W76H9EtvNyBrv3mFU
        wCrmQxMEx7bRfp+ZbiD8nvnHbgyVvz1ZfMU/NDuYgnyG0yGvmF3z8n97zD3+evDR
        sYRiqPMvmYXwydcxkVaTY5yQywKBgQDH2ha0Ld4UtrIJPRuocqNYggRFyDrDRwYl
        F4p//S+IOzXaFnOGMWhIxCj+Yl42w3JpW0eAqvPs5ivXrrPxqADczLeohMatJ3Up
        kyF6x1IODn7hySkl7URmYkcU4NHOzAo6a7/NIKO7GlnOF0ufZUwpuSLsqcXSCQNL
        5+pZVZO8iQKBgQCsjHEJRPfg96a+XZQxqSrR0amVorqQwU1Lqb587EW92N8+cAqu
        HkbkbbzBfO2/cbmKLs6oyFmayMBWdwSn7cocxxRi3h8kg04RMg0eBKOEwnHW9BAg
        WETjRSuRbw7SGNMdF1FljiQ6CTjGQ5IvL3YzNsT2qFvM9OhVOQdhRZtUuQKBgEgR
        VBibZbdQfnkoaR3gYRkcoY/MeaxLo2Kiz5YB5i8ZMv03FWexz2pWGnZJYLIc3tgx
        S2KRwy6Nfgfj/w3IyK7Wv+/sGXz9epmIbg1JbUSWY5jmIomDuyO0ku9rdx08pP+W
        NW8yMvjYssPH0MRlEgcFtRtkyWpJR8AKnI6kdocJAoGAflGIaGzPP7jABfPqg4lV
        jPc6o+mcyPJbrcxMu2RPHJhFnXlR6asQuqjP4Xr4pgZWvDQoi7kyqCrnUwuQayaL
        vR/W2F0Oz/cauoYDefQ177JCBXlYruw4vH2YO4VWW5sBG7Arruozi4gZ13vVKOjD
        i39VlPjm/1ZdBLPpmHeT6OA=
        -----END PRIVATE KEY-----
        """;
}
