using System.Net;
using P2psip.Overlay;
using P2psip.Security;

namespace P2psip.Tests.Security;

/// <summary>Enrollment end to end over HTTPS on loopback (§11.2, §11.3).</summary>
[Trait("Category", TestCategory.Live)]
public sealed class EnrollmentServerTests : IAsyncLifetime
{
    private static readonly Org.BouncyCastle.Crypto.AsymmetricCipherKeyPair Keys = KeyPairs.Generate(KeyAlgorithm.EcdsaP256);
    private readonly EnrollmentAuthority _ca = EnrollmentAuthority.Create("https.test", maxNodesPerUser: 3);
    private EnrollmentServer _server = null!;
    private Uri _url = null!;

    public async Task InitializeAsync()
    {
        _ca.AddUser("u@https.test", "pw");
        var document = OverlayDocument.Of(new OverlayConfiguration { InstanceName = "https.test", RootCertificates = [_ca.Root.GetEncoded()] });
        _server = new EnrollmentServer(_ca, document);
        _url = await _server.StartAsync(new IPEndPoint(IPAddress.Loopback, 0));
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private EnrollmentClient Client => new([_ca.Root]);

    [Fact]
    public async Task Enrolls_over_HTTPS_and_serves_the_configuration()
    {
        var first = await Client.EnrollAsync(_url, "u@https.test", "pw", Keys, nodeIds: 2);
        Assert.Equal("https.test", first.Configuration.InstanceName);
        Assert.Equal([new Uri(_url, "/enroll").ToString()], first.Configuration.EnrollmentServers);
        Assert.Equal(2, first.Identity.NodeIds.Count);
        Assert.Equal("u@https.test", first.Identity.UserName);
        var second = await new EnrollmentClient().EnrollAsync(_url, "u@https.test", "pw", Keys); // trust on first use
        Assert.DoesNotContain(second.Identity.NodeId, first.Identity.NodeIds);
        // The cap (3) is now reached.
        var e = await Assert.ThrowsAsync<EnrollmentRefusedException>(() => Client.EnrollAsync(_url, "u@https.test", "pw", Keys));
        Assert.Equal(EnrollmentError.NodeIdsNotAvailable, e.Token);
    }

    [Fact]
    public async Task Wrong_password_is_failed_authentication()
    {
        var e = await Assert.ThrowsAsync<EnrollmentRefusedException>(() => Client.EnrollAsync(_url, "u@https.test", "nope", Keys));
        Assert.Equal(EnrollmentError.FailedAuthentication, e.Token);
    }

    [Fact]
    public async Task Other_user_name_in_the_CSR_is_username_not_available()
    {
        using var http = Http();
        var response = await Post(http, "u@https.test", "pw", CertificateRequests.Create(Keys, "root@https.test"), null);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(EnrollmentError.UsernameNotAvailable, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("garbage", "1", EnrollmentError.BadCsr)]
    [InlineData("good", "9", EnrollmentError.NodeIdsNotAvailable)]
    [InlineData("good", "many", EnrollmentError.NodeIdsNotAvailable)]
    public async Task Bad_requests_get_403_with_the_RFC_token(string csrKind, string nodeids, string token)
    {
        using var http = Http();
        var csr = csrKind == "good" ? CertificateRequests.Create(Keys, "u@https.test") : "not a csr"u8.ToArray();
        var response = await Post(http, "u@https.test", "pw", csr, nodeids);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(token, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_good_raw_request_gets_a_pkix_cert()
    {
        using var http = Http();
        var response = await Post(http, "u@https.test", "pw", CertificateRequests.Create(Keys, "u@https.test"), null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pkix-cert", response.Content.Headers.ContentType!.MediaType);
        var cert = ReloadCertificate.FromDer(await response.Content.ReadAsByteArrayAsync());
        Assert.Single(cert.NodeIds);
    }

    private static HttpClient Http() => new(new SocketsHttpHandler
    {
        SslOptions = new System.Net.Security.SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, _, _, _) => true },
    });

    private async Task<HttpResponseMessage> Post(HttpClient http, string user, string password, byte[] csr, string? nodeids)
    {
        var form = new MultipartFormDataContent { { new StringContent(user), "username" }, { new StringContent(password), "password" } };
        if (nodeids is not null) form.Add(new StringContent(nodeids), "nodeids");
        var csrPart = new ByteArrayContent(csr);
        csrPart.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/pkcs10");
        form.Add(csrPart, "csr", "csr.der");
        return await http.PostAsync(new Uri(_url, "/enroll"), form);
    }
}
