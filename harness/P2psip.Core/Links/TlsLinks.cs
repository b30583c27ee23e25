using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using P2psip.Security;
using P2psip.Wire;

namespace P2psip.Links;

/// <summary>
/// TLS-TCP-FH-NO-ICE (§6.6.5): framed RELOAD over TLS 1.2 or 1.3 over TCP, both sides presenting
/// certificates (§13.3, mutual authentication against the overlay's root). Each side checks the
/// other's certificate with its <see cref="CertificateValidator"/> — the platform's chain building
/// is not used, as RELOAD certificates chain to the overlay's own root — and the peer's Node-ID is
/// read from its certificate.
/// </summary>
public static class TlsLinks
{
    public const string Protocol = "TLS-TCP-FH-NO-ICE";
    private const SslProtocols Versions = SslProtocols.Tls12 | SslProtocols.Tls13;

    /// <summary>
    /// Connects to <paramref name="remote"/>. When <paramref name="expectedNodeId"/> is given the
    /// server's certificate must carry it (a link to a known Node-ID).
    /// </summary>
    public static async Task<StreamLink> ConnectAsync(IPEndPoint remote, LinkSecurity security, Opaque? expectedNodeId = null,
        int maxMessageSize = 0xFF_FFFF, SslProtocols versions = Versions, CancellationToken cancel = default)
    {
        var tcp = new TcpClient(remote.AddressFamily) { NoDelay = true };
        try
        {
            await tcp.ConnectAsync(remote, cancel).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            tcp.Dispose();
            throw new LinkRefusedException($"cannot connect to {remote}: {e.Message}", e);
        }
        string? refusal = null;
        ReloadCertificate? peer = null;
        var local = security.Identity is { } id ? DotNetCertificates.WithPrivateKey(id) : null;
        var ssl = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = "reload", // §6.6.1: the peer is authenticated by its Node-ID, not a host name
            EnabledSslProtocols = versions,
            ClientCertificates = local is null ? null : new X509CertificateCollection { local },
            LocalCertificateSelectionCallback = (_, _, _, _, _) => local!,
            RemoteCertificateValidationCallback = (_, cert, _, _) =>
            {
                var check = cert is null ? CertificateCheck.Refuse("the peer presented no certificate") : security.Validator.Check(cert.GetRawCertData(), expectedNodeId);
                refusal = check.Refusal;
                peer = check.Certificate;
                return check.Accepted;
            },
        };
        try
        {
            await ssl.AuthenticateAsClientAsync(options, cancel).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AuthenticationException or IOException)
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            tcp.Dispose();
            var reason = refusal is not null ? $"server {remote}: {refusal}" : $"TLS handshake with {remote} failed: {e.Message}";
            security.Refused("client", reason);
            throw new LinkRefusedException(reason, e);
        }
        return new StreamLink(ssl, tcp, Protocol, secure: true, framed: true, peer, maxMessageSize);
    }

    /// <summary>Runs the server side of the handshake on an accepted TCP connection.</summary>
    internal static async Task<StreamLink> AcceptAsync(TcpClient tcp, LinkSecurity security, X509Certificate2 local, int maxMessageSize, CancellationToken cancel)
    {
        tcp.NoDelay = true;
        string? refusal = null;
        ReloadCertificate? peer = null;
        var remote = tcp.Client.RemoteEndPoint;
        var ssl = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
        var options = new SslServerAuthenticationOptions
        {
            ServerCertificate = local,
            ClientCertificateRequired = true,
            EnabledSslProtocols = Versions,
            RemoteCertificateValidationCallback = (_, cert, _, _) =>
            {
                var check = cert is null ? CertificateCheck.Refuse("the peer presented no certificate") : security.Validator.Check(cert.GetRawCertData());
                refusal = check.Refusal;
                peer = check.Certificate;
                return check.Accepted;
            },
        };
        try
        {
            await ssl.AuthenticateAsServerAsync(options, cancel).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AuthenticationException or IOException)
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            tcp.Dispose();
            var reason = refusal is not null ? $"client {remote}: {refusal}" : $"TLS handshake with {remote} failed: {e.Message}";
            security.Refused("server", reason);
            throw new LinkRefusedException(reason, e);
        }
        return new StreamLink(ssl, tcp, Protocol, secure: true, framed: true, peer, maxMessageSize);
    }
}

/// <summary>Accepts TLS-TCP-FH-NO-ICE links on a TCP port.</summary>
public sealed class TlsLinkListener : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly LinkSecurity _security;
    private readonly X509Certificate2 _local;
    private readonly int _maxMessageSize;

    public TlsLinkListener(IPEndPoint endpoint, LinkSecurity security, int maxMessageSize = 0xFF_FFFF)
    {
        _security = security;
        _local = DotNetCertificates.WithPrivateKey(security.Identity ?? throw new ArgumentException("a TLS server needs an identity", nameof(security)));
        _maxMessageSize = maxMessageSize;
        _listener = new TcpListener(endpoint);
        _listener.Start();
    }

    public IPEndPoint LocalEndpoint => (IPEndPoint)_listener.LocalEndpoint;

    /// <summary>Accepts the next connection and runs the handshake; throws <see cref="LinkRefusedException"/> when that client is refused.</summary>
    public async Task<StreamLink> AcceptAsync(CancellationToken cancel = default)
    {
        var tcp = await _listener.AcceptTcpClientAsync(cancel).ConfigureAwait(false);
        return await TlsLinks.AcceptAsync(tcp, _security, _local, _maxMessageSize, cancel).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync()
    {
        _listener.Stop();
        _local.Dispose();
        return ValueTask.CompletedTask;
    }
}
