using System.Net;
using System.Threading.Channels;
using P2psip.Adversary.Proxy;
using P2psip.Links;
using P2psip.Links.Dtls;
using P2psip.Security;
using P2psip.Tests.Security;
using P2psip.Wire;

namespace P2psip.Tests.Adversary;

/// <summary>
/// A link end the proxy tests put on one side of the proxy: a listener as one identity (TLS or
/// DTLS, as the proxy's transport), accepting links into a queue; and the matching connect.
/// </summary>
internal sealed class ProxyLinkEnd : IAsyncDisposable
{
    public static readonly IPEndPoint Loopback = new(IPAddress.Loopback, 0);
    private static TestPki Pki => TestPki.Shared;

    /// <summary>Quick DTLS timers, so a link that gets no ACK gives up within seconds.</summary>
    // An RTO of 300 ms, not 100: on a loaded machine an ACK later than the RTO makes the sender
    // retransmit under a new sequence number (§6.6.3.1), and the relay end then sees the message
    // twice, which the byte-for-byte comparisons would take for a changed message (seen in CI).
    public static readonly DtlsLinkOptions QuickDtls = new() { Rto = TimeSpan.FromMilliseconds(300), MaxTransmissions = 4 };

    private readonly TlsLinkListener? _tls;
    private readonly DtlsLinkListener? _dtls;
    private readonly Channel<PipelinedLink> _accepted = Channel.CreateUnbounded<PipelinedLink>();
    private readonly CancellationTokenSource _stop = new();

    public ProxyLinkEnd(ProxyTransport transport, Identity identity)
    {
        Transport = transport;
        var security = new LinkSecurity(identity, Pki.Validator);
        if (transport == ProxyTransport.Dtls) _dtls = new DtlsLinkListener(Loopback, security, QuickDtls);
        else _tls = new TlsLinkListener(Loopback, security);
        _ = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                try { _accepted.Writer.TryWrite(_tls is not null ? await _tls.AcceptAsync(_stop.Token) : await _dtls!.AcceptAsync(_stop.Token)); }
                catch (LinkRefusedException) { }
                catch (OperationCanceledException) { return; }
                catch (ObjectDisposedException) { return; }
                catch (InvalidOperationException) { return; }
            }
        });
    }

    public ProxyTransport Transport { get; }
    public IPEndPoint Endpoint => _tls?.LocalEndpoint ?? _dtls!.LocalEndpoint;

    public async Task<PipelinedLink> Next()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        return await _accepted.Reader.ReadAsync(cancel.Token);
    }

    /// <summary>A link to <paramref name="endpoint"/> as <paramref name="identity"/>, over <paramref name="transport"/>.</summary>
    public static async Task<PipelinedLink> Connect(ProxyTransport transport, IPEndPoint endpoint, Identity identity, Opaque? expected = null) =>
        transport == ProxyTransport.Dtls
            ? await DtlsLinks.ConnectAsync(endpoint, new LinkSecurity(identity, Pki.Validator), expected, QuickDtls)
            : await TlsLinks.ConnectAsync(endpoint, new LinkSecurity(identity, Pki.Validator), expected);

    public static async Task<byte[]> Receive(IOverlayLink link)
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var message = await link.ReceiveAsync(cancel.Token);
        Assert.NotNull(message);
        return message.Value.ToArray();
    }

    /// <summary>Waits for the link to end (its receive returns null), skipping any messages still coming.</summary>
    public static async Task Ended(IOverlayLink link, TimeSpan within)
    {
        using var cancel = new CancellationTokenSource(within);
        while (await link.ReceiveAsync(cancel.Token) is not null) { }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_tls is not null) await _tls.DisposeAsync();
        if (_dtls is not null) await _dtls.DisposeAsync();
    }
}
