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
        LinkLimits? limits = null, SslProtocols versions = Versions, CancellationToken cancel = default)
    {
        limits ??= LinkLimits.Default;
        var tcp = await TcpConnection.OpenAsync(remote, cancel).ConfigureAwait(false);
        string? refusal = null;
        ReloadCertificate? peer = null;
        var ssl = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = "reload", // §6.6.1: the peer is authenticated by its Node-ID, not a host name
            EnabledSslProtocols = versions,
            // Sent whatever issuers the server names; its chain built once per identity, not per handshake.
            ClientCertificateContext = security.Identity is { } id ? DotNetCertificates.TlsContext(id) : null,
            CertificateChainPolicy = NoPlatformTrust(),
            RemoteCertificateValidationCallback = (_, cert, _, _) =>
            {
                var check = cert is null ? CertificateCheck.Refuse("the peer presented no certificate") : security.Validator.Check(cert.GetRawCertData(), expectedNodeId);
                refusal = check.Refusal;
                peer = check.Certificate;
                return check.Accepted;
            },
        };
        // A server that never answers must not hold the caller for ever.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        timeout.CancelAfter(limits.HandshakeTimeout);
        try
        {
            await ssl.AuthenticateAsClientAsync(options, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            tcp.Dispose();
            if (e is OperationCanceledException && cancel.IsCancellationRequested) throw;
            var reason = refusal is not null ? $"server {remote}: {refusal}" : Failed(remote, e, limits);
            security.Refused("client", reason);
            throw new LinkRefusedException(reason, e);
        }
        return new StreamLink(ssl, tcp, Protocol, secure: true, framed: true, peer, limits, LinkRole.Initiator, LocalNodeId(security));
    }

    /// <summary>
    /// The platform's chain of the far end's certificate is built before the callback and its verdict
    /// ignored (the validator decides): built against no trust store at all, not the system's roots
    /// (loading and sorting them was a tenth of the network fuzzer's CPU, once per handshake).
    /// </summary>
    private static X509ChainPolicy NoPlatformTrust() => new()
    {
        TrustMode = X509ChainTrustMode.CustomRootTrust,
        RevocationMode = X509RevocationMode.NoCheck,
        DisableCertificateDownloads = true,
    };

    internal static Opaque LocalNodeId(LinkSecurity security) => LinkInfo.NodeIdOf(security.Identity?.Certificate);

    /// <summary>Runs the server side of the handshake on an accepted TCP connection.</summary>
    internal static async Task<StreamLink> AcceptAsync(TcpClient tcp, LinkSecurity security, SslStreamCertificateContext local, LinkLimits limits, CancellationToken cancel)
    {
        tcp.NoDelay = true;
        string? refusal = null;
        ReloadCertificate? peer = null;
        var remote = tcp.Client.RemoteEndPoint;
        var ssl = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
        var options = new SslServerAuthenticationOptions
        {
            ServerCertificateContext = local,
            ClientCertificateRequired = true,
            CertificateChainPolicy = NoPlatformTrust(),
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
        catch (Exception e)
        {
            // Any failure, of whatever type, ends this connection only: never the listener's loop.
            await ssl.DisposeAsync().ConfigureAwait(false);
            tcp.Dispose();
            var reason = refusal is not null ? $"client {remote}: {refusal}" : Failed(remote, e, limits);
            security.Refused("server", reason);
            throw new LinkRefusedException(reason, e);
        }
        return new StreamLink(ssl, tcp, Protocol, secure: true, framed: true, peer, limits, LinkRole.Acceptor, LocalNodeId(security));
    }

    private static string Failed(EndPoint? remote, Exception e, LinkLimits limits) => e is OperationCanceledException or ObjectDisposedException
        ? $"TLS handshake with {remote} did not finish within {limits.HandshakeTimeout.TotalSeconds:0.#} s"
        : $"TLS handshake with {remote} failed: {e.Message}";
}


/// <summary>
/// Accepts TLS-TCP-FH-NO-ICE links on a TCP port. Handshakes run concurrently, each under
/// <see cref="LinkLimits.HandshakeTimeout"/>, so a client that connects and never speaks TLS holds
/// one slot for a while and blocks nobody (issue 11, defect 3). At most
/// <see cref="LinkLimits.MaxConcurrentHandshakes"/> run at once and at most
/// <see cref="LinkLimits.AcceptQueueCapacity"/> finished links wait to be accepted; beyond either,
/// the new connection is closed and counted in <see cref="Counters"/>.
/// </summary>
public sealed class TlsLinkListener : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly LinkSecurity _security;
    private readonly X509Certificate2 _local;
    private readonly SslStreamCertificateContext _context;
    private readonly LinkLimits _limits;
    private readonly AcceptQueue<StreamLink> _accepted;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _handshaking;

    public TlsLinkListener(IPEndPoint endpoint, LinkSecurity security, LinkLimits? limits = null)
    {
        _security = security;
        _local = DotNetCertificates.WithPrivateKey(security.Identity ?? throw new ArgumentException("a TLS server needs an identity", nameof(security)));
        // Its chain built once here, not at every handshake (against the system's roots).
        _context = SslStreamCertificateContext.Create(_local, additionalCertificates: null, offline: true);
        _limits = limits ?? LinkLimits.Default;
        _accepted = new AcceptQueue<StreamLink>(_limits.AcceptQueueCapacity, Counters);
        _listener = new TcpListener(endpoint);
        _listener.Start();
        _loop = Task.Run(AcceptLoop);
    }

    public IPEndPoint LocalEndpoint => (IPEndPoint)_listener.LocalEndpoint;

    /// <summary>What was dropped at the bounds.</summary>
    public ListenerCounters Counters { get; } = new();

    /// <summary>Server handshakes running now.</summary>
    public int Handshaking => Volatile.Read(ref _handshaking);

    /// <summary>Finished links (and refusals) waiting for <see cref="AcceptAsync"/>.</summary>
    public int Waiting => _accepted.Count;

    /// <summary>The next link whose handshake finished; throws <see cref="LinkRefusedException"/> for a client that was refused or timed out.</summary>
    public Task<StreamLink> AcceptAsync(CancellationToken cancel = default) => _accepted.TakeAsync(cancel);

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient tcp;
            try { tcp = await _listener.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false); }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException) { break; }
            catch (SocketException) { if (_stop.IsCancellationRequested) break; continue; } // one failed accept, e.g. a reset in the backlog
            if (Interlocked.Increment(ref _handshaking) > _limits.MaxConcurrentHandshakes)
            {
                Interlocked.Decrement(ref _handshaking);
                Counters.HandshakeOverCap();
                tcp.Dispose();
                continue;
            }
            _ = Task.Run(() => Handshake(tcp));
        }
    }

    private async Task Handshake(TcpClient tcp)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        timeout.CancelAfter(_limits.HandshakeTimeout);
        // Closing the socket ends a handshake stuck in a read even where the read ignores the token.
        using var closeOnTimeout = timeout.Token.Register(tcp.Dispose);
        try
        {
            var link = await TlsLinks.AcceptAsync(tcp, _security, _context, _limits, timeout.Token).ConfigureAwait(false);
            if (_stop.IsCancellationRequested) { await link.DisposeAsync().ConfigureAwait(false); return; }
            _accepted.Offer(link);
        }
        catch (LinkRefusedException e)
        {
            if (_stop.IsCancellationRequested) return;
            if (timeout.IsCancellationRequested) Counters.HandshakeTimedOut();
            _accepted.Refuse(e);
        }
        catch (Exception)
        {
            // Failed before the handshake began (the client reset at once): that connection only.
            tcp.Dispose();
        }
        finally { Interlocked.Decrement(ref _handshaking); }
    }

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested) return;
        _stop.Cancel();
        _listener.Stop();
        try { await _loop.ConfigureAwait(false); }
        catch (OperationCanceledException) { }
        await _accepted.CloseAsync().ConfigureAwait(false);
        _local.Dispose();
    }
}
