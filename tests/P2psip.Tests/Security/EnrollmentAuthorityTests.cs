using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using P2psip.Security;

namespace P2psip.Tests.Security;

public class EnrollmentAuthorityTests
{
    private static readonly Org.BouncyCastle.Crypto.AsymmetricCipherKeyPair Keys = KeyPairs.Generate(KeyAlgorithm.EcdsaP256);

    private static EnrollmentAuthority NewCa(int cap = 3)
    {
        var ca = EnrollmentAuthority.Create("enroll.test", maxNodesPerUser: cap);
        ca.AddUser("u@enroll.test", "secret");
        return ca;
    }

    [Fact]
    public void Issues_a_certificate_as_section_11_3_requires()
    {
        var ca = NewCa();
        var cert = ReloadCertificate.FromDer(ca.Enroll("u@enroll.test", "secret", CertificateRequests.Create(Keys, "u@enroll.test"), nodeIds: 2));
        Assert.Empty(cert.Certificate.SubjectDN.GetOidList()); // empty subject
        Assert.Equal("u@enroll.test", cert.UserName);
        Assert.Equal(2, cert.NodeIds.Count);
        Assert.All(cert.NodeIds, id => Assert.Equal(16, id.Length));
        Assert.NotEqual(cert.NodeIds[0], cert.NodeIds[1]);
        Assert.True(cert.VerifiesWith(ca.Root));
        Assert.Equal(["enroll.test"], cert.Overlays);
        // The subjectAltName is critical and holds only the user name and the reload:// URIs.
        Assert.Contains(X509Extensions.SubjectAlternativeName.Id, cert.Certificate.GetCriticalExtensionOids());
        var names = GeneralNames.GetInstance(Asn1Object.FromByteArray(cert.Certificate.GetExtensionValue(X509Extensions.SubjectAlternativeName).GetOctets())).GetNames();
        Assert.Equal(3, names.Length);
        var uris = names.Where(n => n.TagNo == GeneralName.UniformResourceIdentifier).Select(n => DerIA5String.GetInstance(n.Name).GetString()).ToArray();
        Assert.Equal([$"reload://0110{cert.NodeIds[0].ToHex()}@enroll.test/", $"reload://0110{cert.NodeIds[1].ToHex()}@enroll.test/"], uris);
        Assert.True(CertificateValidator.ForRoot(ca.Root, "enroll.test").Check(cert).Accepted);
    }

    [Fact]
    public void Node_ids_are_random_differ_between_requests_and_are_never_the_requested_one()
    {
        var ca = NewCa(cap: 50);
        var asked = new byte[16];
        asked[0] = 0xAB;
        var askedUri = ReloadUri.ForNode(asked, "enroll.test");
        var seen = new HashSet<string>();
        for (int i = 0; i < 20; i++)
        {
            var cert = ReloadCertificate.FromDer(ca.Enroll("u@enroll.test", "secret", CertificateRequests.Create(Keys, "u@enroll.test", askedUri)));
            var id = Assert.Single(cert.NodeIds);
            Assert.NotEqual(asked, id.ToArray());
            Assert.True(seen.Add(id.ToHex()), "a Node-ID was issued twice");
        }
        Assert.Equal(20, ca.NodeIdsOf("u@enroll.test").Count);
    }

    [Fact]
    public void The_cap_per_user_holds()
    {
        var ca = NewCa(cap: 3);
        var csr = CertificateRequests.Create(Keys, "u@enroll.test");
        ca.Enroll("u@enroll.test", "secret", csr, nodeIds: 2);
        var e = Assert.Throws<EnrollmentRefusedException>(() => ca.Enroll("u@enroll.test", "secret", csr, nodeIds: 2));
        Assert.Equal(EnrollmentError.NodeIdsNotAvailable, e.Token);
        ca.Enroll("u@enroll.test", "secret", csr, nodeIds: 1);
        e = Assert.Throws<EnrollmentRefusedException>(() => ca.Enroll("u@enroll.test", "secret", csr, nodeIds: 1));
        Assert.Equal(EnrollmentError.NodeIdsNotAvailable, e.Token);
    }

    [Theory]
    [InlineData("UnknownUser", "nobody@enroll.test", "secret", "csr", 1, EnrollmentError.FailedAuthentication)]
    [InlineData("WrongPassword", "u@enroll.test", "Secret", "csr", 1, EnrollmentError.FailedAuthentication)]
    [InlineData("OtherUserName", "u@enroll.test", "secret", "csr-other-name", 1, EnrollmentError.UsernameNotAvailable)]
    [InlineData("ZeroNodes", "u@enroll.test", "secret", "csr", 0, EnrollmentError.NodeIdsNotAvailable)]
    [InlineData("TooManyNodes", "u@enroll.test", "secret", "csr", 4, EnrollmentError.NodeIdsNotAvailable)]
    [InlineData("Garbage", "u@enroll.test", "secret", "garbage", 1, EnrollmentError.BadCsr)]
    [InlineData("BadCsrSignature", "u@enroll.test", "secret", "tampered", 1, EnrollmentError.BadCsr)]
    public void Refusals_carry_the_RFC_token(string label, string user, string password, string csrKind, int nodes, string token)
    {
        var ca = NewCa(cap: 3);
        var csr = csrKind switch
        {
            "csr" => CertificateRequests.Create(Keys, "u@enroll.test"),
            "csr-other-name" => CertificateRequests.Create(Keys, "admin@enroll.test"),
            "garbage" => "not a CSR"u8.ToArray(),
            _ => Tamper(CertificateRequests.Create(Keys, "u@enroll.test")),
        };
        var e = Assert.Throws<EnrollmentRefusedException>(() => ca.Enroll(user, password, csr, nodes));
        Assert.True(token == e.Token, $"{label}: {e.Message}");
        Assert.Empty(ca.NodeIdsOf("u@enroll.test"));
    }

    private static byte[] Tamper(byte[] csr)
    {
        var copy = (byte[])csr.Clone();
        copy[^3] ^= 0x01; // inside the signature value
        return copy;
    }

    [Fact]
    public void Saves_and_loads_with_owner_only_secrets()
    {
        var dir = Directory.CreateTempSubdirectory("p2psip-ca-").FullName;
        try
        {
            var ca = NewCa(cap: 2);
            ca.Save(dir);
            ca.Enroll("u@enroll.test", "secret", CertificateRequests.Create(Keys, "u@enroll.test"));
            var loaded = EnrollmentAuthority.Load(dir);
            Assert.Equal(ca.Root, loaded.Root);
            Assert.Equal(2, loaded.MaxNodesPerUser);
            Assert.Equal(ca.NodeIdsOf("u@enroll.test"), loaded.NodeIdsOf("u@enroll.test"));
            loaded.Enroll("u@enroll.test", "secret", CertificateRequests.Create(Keys, "u@enroll.test"));
            Assert.Throws<EnrollmentRefusedException>(() => loaded.Enroll("u@enroll.test", "secret", CertificateRequests.Create(Keys, "u@enroll.test")));
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(dir, EnrollmentAuthority.KeyFile)));
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(dir, EnrollmentAuthority.UsersFile)));
            }
            Assert.DoesNotContain("secret", File.ReadAllText(Path.Combine(dir, EnrollmentAuthority.UsersFile)));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void Identity_round_trips_through_PEM_with_an_owner_only_key()
    {
        var pki = TestPki.Shared;
        var dir = Directory.CreateTempSubdirectory("p2psip-id-").FullName;
        try
        {
            pki.Alice.Save(dir);
            var loaded = Identity.Load(dir);
            Assert.Equal(pki.Alice.Certificate.Der, loaded.Certificate.Der);
            Assert.Equal(pki.Alice.NodeId, loaded.NodeId);
            Assert.Equal("alice@test.overlay", loaded.UserName);
            Assert.Equal(pki.Alice.PrivateKey, loaded.PrivateKey);
            if (!OperatingSystem.IsWindows())
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(dir, Identity.KeyFile)));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Theory]
    [InlineData("with space")]
    [InlineData("nul\0inside")]
    [InlineData("two@at@signs")]
    [InlineData("")]
    public void Illegal_user_names_are_refused(string name) =>
        Assert.Throws<ArgumentException>(() => NewCa().AddUser(name, "pw"));
}
