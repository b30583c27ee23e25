using System.Net;
using P2psip.Links;
using P2psip.Links.Dtls;
using P2psip.Security;
using P2psip.Wire;

namespace P2psip.Adversary.Proxy;

/// <summary>
/// How the proxy listens and connects for its <see cref="ProxyTransport"/>, with the links the rest
/// of the harness uses (TLS and plaintext stream links, DTLS links with their own ACKs and
/// retransmission, §6.6.2–§6.6.4): one place that knows the transport, so the relay does not.
/// </summary>
internal sealed class ProxyLinks : IAsyncDisposable
{
    private readonly ProxyOptions _options;
    private readonly ProxyIdentities? _identities;
    private readonly CertificateValidator? _validator;
    private readonly TlsLinkListener? _tls;
    private readonly DtlsLinkListener? _dtls;
    private readonly PlaintextLinkListener? _plain;

    /// <param name="listenAs">The Node-ID presented to downstream peers; null: a connecting-only instance (learning Node-IDs).</param>
    private ProxyLinks(ProxyOptions options, ProxyIdentities? identities, CertificateValidator? validator, Opaque? listenAs)
    {
        _options = options;
        _identities = identities;
        _validator = validator;
        if (listenAs is not { } upstreamId) return;
        switch (options.Transport)
        {
            // Toward the downstream peer the proxy claims to be the upstream.
            case ProxyTransport.Tls: _tls = new TlsLinkListener(options.Listen, Security(upstreamId)); break;
            case ProxyTransport.Dtls: _dtls = new DtlsLinkListener(options.Listen, Security(upstreamId), options.Dtls); break;
            default: _plain = new PlaintextLinkListener(options.Listen, options.Transport == ProxyTransport.PlaintextFramed); break;
        }
    }

    public IPEndPoint LocalEndpoint => _tls?.LocalEndpoint ?? _dtls?.LocalEndpoint ?? _plain!.LocalEndpoint;

    /// <summary>Learns the upstream's and the other nodes' Node-IDs where not given (a first link to each), then listens.</summary>
    public static async Task<(ProxyLinks Links, Opaque UpstreamId, IReadOnlyList<ProxyNode> Others)> StartAsync(ProxyOptions options, CancellationToken cancel)
    {
        if (options.Transport is not ProxyTransport.Tls and not ProxyTransport.Dtls)
        {
            var plain = new ProxyLinks(options, null, null, Opaque.Empty);
            return (plain, options.UpstreamNodeId ?? Opaque.Empty, options.Also);
        }
        var lab = options.Lab ?? throw new ArgumentException("a TLS or DTLS proxy needs the lab's CA to mint the identities it presents", nameof(options));
        var validator = CertificateValidator.ForRoot(lab.Root, lab.Overlay);
        var identities = new ProxyIdentities(lab, options.Presentation);
        var probe = new ProxyLinks(options, identities, validator, null);
        var upstreamId = options.UpstreamNodeId ?? await probe.Learn(options.Upstream, cancel).ConfigureAwait(false);
        var others = new List<ProxyNode>();
        foreach (var node in options.Also)
            others.Add(node.NodeId is null ? node with { NodeId = await probe.Learn(node.Endpoint, cancel).ConfigureAwait(false) } : node);
        return (new ProxyLinks(options, identities, validator, upstreamId), upstreamId, others);
    }

    private async Task<Opaque> Learn(IPEndPoint endpoint, CancellationToken cancel)
    {
        await using var link = await ConnectAsync(endpoint, Opaque.Empty, cancel).ConfigureAwait(false);
        return link.PeerNodeId;
    }

    private LinkSecurity Security(Opaque presentAs) => new(_identities!.For(presentAs), _validator!) { Log = _options.Log };

    public async Task<PipelinedLink> AcceptAsync(CancellationToken cancel)
    {
        if (_tls is not null) return await _tls.AcceptAsync(cancel).ConfigureAwait(false);
        if (_dtls is not null) return await _dtls.AcceptAsync(cancel).ConfigureAwait(false);
        return await _plain!.AcceptInsecureAsync(cancel).ConfigureAwait(false);
    }

    /// <summary>A link to <paramref name="endpoint"/>, presenting a certificate for <paramref name="presentAs"/> (empty: a random Node-ID).</summary>
    public async Task<PipelinedLink> ConnectAsync(IPEndPoint endpoint, Opaque presentAs, CancellationToken cancel) => _options.Transport switch
    {
        ProxyTransport.Tls => await TlsLinks.ConnectAsync(endpoint, Security(presentAs), cancel: cancel).ConfigureAwait(false),
        ProxyTransport.Dtls => await DtlsLinks.ConnectAsync(endpoint, Security(presentAs), options: _options.Dtls, cancel: cancel).ConfigureAwait(false),
        _ => await PlaintextLinks.ConnectInsecureAsync(endpoint, _options.Transport == ProxyTransport.PlaintextFramed, cancel: cancel).ConfigureAwait(false),
    };

    public async ValueTask DisposeAsync()
    {
        if (_tls is not null) await _tls.DisposeAsync().ConfigureAwait(false);
        if (_dtls is not null) await _dtls.DisposeAsync().ConfigureAwait(false);
        if (_plain is not null) await _plain.DisposeAsync().ConfigureAwait(false);
    }
}
