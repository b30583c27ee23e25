using System.Net.Http.Headers;
using System.Net.Security;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.X509;
using P2psip.Overlay;

namespace P2psip.Security;

/// <summary>
/// The client side of §11.2 and §11.3: fetch the configuration document over HTTPS, send a PKCS#10
/// request with the user name and password, and check that the certificate returned chains to one
/// of the configuration's root-cert elements. When no root is given beforehand, the server's own
/// certificate must chain to a root-cert of the document it serves (trust on first use).
/// </summary>
public sealed class EnrollmentClient
{
    private readonly IReadOnlyList<X509Certificate>? _pinnedRoots;

    public EnrollmentClient(IEnumerable<X509Certificate>? pinnedRoots = null) => _pinnedRoots = pinnedRoots?.ToArray();

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Called as each exchange begins (for a caller that says what it is waiting for).</summary>
    public Action<string>? OnStep { get; init; }

    public sealed record Result(Identity Identity, OverlayDocument Document, OverlayConfiguration Configuration);

    public async Task<Result> EnrollAsync(Uri server, string user, string password, AsymmetricCipherKeyPair keys, int nodeIds = 1, CancellationToken cancel = default)
    {
        X509Certificate? serverCert = null;
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                // The chain is checked below against the overlay's roots, not the system's.
                RemoteCertificateValidationCallback = (_, cert, _, _) =>
                {
                    if (cert is null) return false;
                    serverCert = new X509CertificateParser().ReadCertificate(cert.GetRawCertData());
                    return _pinnedRoots is null || ChainsTo(serverCert, _pinnedRoots);
                },
            },
        };
        using var http = new HttpClient(handler) { Timeout = Timeout };

        // §11.2: fetch the configuration document.
        OnStep?.Invoke($"the configuration document (GET {new Uri(server, EnrollmentServer.ConfigurationPath)})");
        using var configResponse = await Send(http, new HttpRequestMessage(HttpMethod.Get, new Uri(server, EnrollmentServer.ConfigurationPath)), cancel).ConfigureAwait(false);
        if (!configResponse.IsSuccessStatusCode)
            throw new HttpRequestException($"GET {EnrollmentServer.ConfigurationPath}: HTTP {(int)configResponse.StatusCode}");
        var document = OverlayDocument.Parse(await configResponse.Content.ReadAsStringAsync(cancel).ConfigureAwait(false));
        var configuration = document.Configurations[0].Configuration;
        var roots = configuration.RootCertificates.Select(der => new X509CertificateParser().ReadCertificate(der.ToArray())).ToArray();
        if (roots.Length == 0) throw new InvalidDataException("the configuration document has no root-cert");
        if (serverCert is null || !ChainsTo(serverCert, roots))
            throw new InvalidDataException("the server's HTTPS certificate is not issued by a root-cert of the configuration it serves");

        // §11.3: POST multipart/form-data with username, password, nodeids and csr.
        var enrollUrl = configuration.EnrollmentServers.Count > 0 ? new Uri(configuration.EnrollmentServers[0]) : new Uri(server, EnrollmentServer.EnrollPath);
        using var form = new MultipartFormDataContent
        {
            { new StringContent(user), "username" },
            { new StringContent(password), "password" },
        };
        if (nodeIds != 1) form.Add(new StringContent(nodeIds.ToString(System.Globalization.CultureInfo.InvariantCulture)), "nodeids");
        var csr = new ByteArrayContent(CertificateRequests.Create(keys, user));
        csr.Headers.ContentType = new MediaTypeHeaderValue(EnrollmentServer.Pkcs10);
        form.Add(csr, "csr", "csr.der");
        var request = new HttpRequestMessage(HttpMethod.Post, enrollUrl) { Content = form };
        OnStep?.Invoke($"the certificate (POST {enrollUrl})");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(EnrollmentServer.PkixCert));
        using var response = await Send(http, request, cancel).ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync(cancel).ConfigureAwait(false);
        if (response.StatusCode == System.Net.HttpStatusCode.Forbidden)
        {
            var token = System.Text.Encoding.UTF8.GetString(body).Trim();
            // An unknown token is a failure for an unknown reason (§11.3).
            throw new EnrollmentRefusedException(EnrollmentError.IsKnown(token) ? token : "unknown_error", EnrollmentError.IsKnown(token) ? "refused by the enrollment server" : $"the server answered \"{token}\"");
        }
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"POST {enrollUrl.AbsolutePath}: HTTP {(int)response.StatusCode}");
        var issued = ReloadCertificate.FromDer(body);
        // The client MUST check that the certificate chains back to a root-cert (§11.3).
        var check = new CertificateValidator(roots, configuration.InstanceName).Check(issued);
        if (!check.Accepted) throw new InvalidDataException($"the certificate issued is not acceptable: {check.Refusal}");
        if (!issued.Certificate.GetPublicKey().Equals(keys.Public)) throw new InvalidDataException("the certificate issued is for another key");
        return new Result(new Identity(keys, issued.Certificate), document, configuration);
    }

    private static async Task<HttpResponseMessage> Send(HttpClient http, HttpRequestMessage request, CancellationToken cancel)
    {
        using (request) return await http.SendAsync(request, cancel).ConfigureAwait(false);
    }

    private static bool ChainsTo(X509Certificate cert, IEnumerable<X509Certificate> roots)
    {
        var reading = new ReloadCertificate(cert);
        var now = DateTime.UtcNow;
        return now >= cert.NotBefore && now <= cert.NotAfter
            && roots.Any(r => r.GetBasicConstraints() >= 0 && r.SubjectDN.Equivalent(cert.IssuerDN) && reading.VerifiesWith(r));
    }
}
