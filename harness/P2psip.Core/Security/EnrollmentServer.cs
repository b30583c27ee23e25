using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using P2psip.Overlay;

namespace P2psip.Security;

/// <summary>
/// The HTTPS enrollment and configuration server (§11.2, §11.3), on Kestrel. It serves the
/// configuration document at <c>GET /.well-known/reload-config</c> and takes enrollment requests at
/// <c>POST /enroll</c> (multipart/form-data: username, password, nodeids, csr), answering 200 with
/// application/pkix-cert or 403 with one of the RFC's tokens in text/plain. Its own TLS certificate is
/// issued by the overlay CA for the address it listens on. The configuration it serves names this
/// server as the enrollment-server.
/// </summary>
public sealed class EnrollmentServer : IAsyncDisposable
{
    public const string ConfigurationPath = "/.well-known/reload-config", EnrollPath = "/enroll";
    public const string PkixCert = "application/pkix-cert", Pkcs10 = "application/pkcs10";

    private readonly EnrollmentAuthority _ca;
    private readonly OverlayDocument _document;
    private WebApplication? _app;

    public EnrollmentServer(EnrollmentAuthority ca, OverlayDocument document)
    {
        _ca = ca;
        _document = document;
    }

    /// <summary>The base URL, https://address:port, once started.</summary>
    public Uri? Url { get; private set; }
    /// <summary>The document served, with this server as its enrollment-server.</summary>
    public OverlayDocument? ServedDocument { get; private set; }
    /// <summary>Called with one line per request handled (for the CLI's log).</summary>
    public Action<string>? Log { get; init; }

    /// <summary>
    /// Why this server would hand out what no client can use, or null: the document must have a
    /// configuration for the CA's overlay whose root-cert holds the CA's certificate (§11.1: clients
    /// authenticate the server and peers against it), and the CA key must match that certificate.
    /// </summary>
    public string? ProblemAtStart()
    {
        var configuration = _document.Configurations.FirstOrDefault(c => c.Configuration.InstanceName == _ca.Overlay)?.Configuration;
        if (configuration is null)
            return $"the configuration document has no configuration for overlay {_ca.Overlay} (instance-name)";
        if (configuration.RootCertificates.Count == 0)
            return $"the configuration of overlay {_ca.Overlay} has no root-cert, so no client can authenticate this server or its peers (§11.1)";
        var root = _ca.Root.GetEncoded();
        if (!configuration.RootCertificates.Any(r => r.Span.SequenceEqual(root)))
            return $"the configuration's root-cert is not the CA certificate {EnrollmentAuthority.CertificateFile}, so the certificates issued would not verify (§11.1)";
        return _ca.ProblemWithKeys();
    }

    public async Task<Uri> StartAsync(IPEndPoint listen, CancellationToken cancel = default)
    {
        if (ProblemAtStart() is { } problem) throw new InvalidOperationException(problem);
        var (keys, cert) = _ca.IssueServerCertificate(listen.Address.ToString());
        var tlsCertificate = DotNetCertificates.WithPrivateKey(cert, keys.Private);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = "p2psip-enrollment" });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = 64 * 1024;
            k.Listen(listen, o => o.UseHttps(tlsCertificate));
        });
        var app = builder.Build();
        app.MapGet(ConfigurationPath, ServeConfiguration);
        app.MapPost(EnrollPath, Enroll);
        await app.StartAsync(cancel).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var bound = new Uri(address);
        Url = new Uri($"https://{(listen.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{listen.Address}]" : listen.Address.ToString())}:{bound.Port}");
        ServedDocument = new OverlayDocument(_document.Configurations.Select(c =>
            c.Configuration.InstanceName == _ca.Overlay
                ? c with { Configuration = c.Configuration with { EnrollmentServers = [new Uri(Url, EnrollPath).ToString()] } }
                : c).ToArray());
        _app = app;
        return Url;
    }

    private Task ServeConfiguration(HttpContext context)
    {
        Log?.Invoke($"GET {ConfigurationPath} from {context.Connection.RemoteIpAddress}");
        context.Response.ContentType = OverlayDocument.MediaType;
        return context.Response.WriteAsync(ServedDocument!.ToXml());
    }

    private async Task Enroll(HttpContext context)
    {
        if (!context.Request.HasFormContentType)
        {
            await Refuse(context, EnrollmentError.BadCsr, "the request is not multipart/form-data").ConfigureAwait(false);
            return;
        }
        var form = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
        string user = form["username"].ToString(), password = form["password"].ToString();
        int nodes = 1;
        if (form.TryGetValue("nodeids", out var nodeText) && !int.TryParse(nodeText.ToString(), out nodes))
        {
            await Refuse(context, EnrollmentError.NodeIdsNotAvailable, $"nodeids \"{nodeText}\" is not a number").ConfigureAwait(false);
            return;
        }
        byte[] csr;
        if (form.Files.GetFile("csr") is { } file)
        {
            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
            csr = buffer.ToArray();
        }
        else if (form.TryGetValue("csr", out var csrText))
            csr = DecodeBase64(csrText.ToString()); // a CSR sent as a text field
        else csr = [];
        try
        {
            var der = _ca.Enroll(user, password, csr, nodes);
            Log?.Invoke($"enrolled {user}: {ReloadCertificate.FromDer(der)}");
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = PkixCert;
            await context.Response.Body.WriteAsync(der, context.RequestAborted).ConfigureAwait(false);
        }
        catch (EnrollmentRefusedException e)
        {
            await Refuse(context, e.Token, e.Detail).ConfigureAwait(false);
        }
    }

    private static byte[] DecodeBase64(string text)
    {
        try { return Convert.FromBase64String(text); }
        catch (FormatException) { return []; }
    }

    private Task Refuse(HttpContext context, string token, string detail)
    {
        Log?.Invoke($"refused {token}: {detail}");
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        context.Response.ContentType = "text/plain";
        return context.Response.WriteAsync(token);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync().ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
        }
    }
}
