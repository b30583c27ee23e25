using System.Diagnostics;
using System.Net;
using P2psip.Links;
using P2psip.Security;
using P2psip.Wire;

namespace P2psip.Adversary.Proxy;

/// <summary>
/// A man in the middle on one overlay link: it accepts the downstream peer's link (TLS with a
/// harness identity, or plaintext), opens its own link to the upstream, and relays every message
/// through the engine. Seen by the engine, the proxy stands at the downstream peer's end: what the
/// downstream sends is Outbound, what comes back is Inbound; local = the downstream's Node-ID,
/// remote = the upstream's. Framing ACKs and retransmission are each link's own (StreamLink).
/// Redirects to other nodes cannot be routed from one link: they are logged and dropped.
/// </summary>
public sealed class AdversaryProxy : IAsyncDisposable
{
    private readonly ProxyOptions _options;
    private readonly TlsLinkListener? _tls;
    private readonly PlaintextLinkListener? _plain;
    private readonly ProxyIdentities? _identities;
    private readonly CertificateValidator? _validator;
    private readonly CancellationTokenSource _stop = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<Task> _sessions = [];
    private readonly Task _accepting;
    private int _connections;

    private AdversaryProxy(ProxyOptions options, TlsLinkListener? tls, PlaintextLinkListener? plain, ProxyIdentities? identities, CertificateValidator? validator, Opaque upstreamNodeId)
    {
        _options = options;
        _tls = tls;
        _plain = plain;
        _identities = identities;
        _validator = validator;
        UpstreamNodeId = upstreamNodeId;
        _accepting = Task.Run(AcceptLoop);
    }

    public IPEndPoint LocalEndpoint => _tls?.LocalEndpoint ?? _plain!.LocalEndpoint;
    public AdversaryEngine Engine => _options.Engine;
    public Opaque UpstreamNodeId { get; }
    /// <summary>Downstream links accepted so far.</summary>
    public int Connections => Volatile.Read(ref _connections);

    public static async Task<AdversaryProxy> StartAsync(ProxyOptions options, CancellationToken cancel = default)
    {
        if (options.Transport != ProxyTransport.Tls)
            return new AdversaryProxy(options, null, new PlaintextLinkListener(options.Listen, options.Transport == ProxyTransport.PlaintextFramed), null, null, options.UpstreamNodeId ?? Opaque.Empty);
        var lab = options.Lab ?? throw new ArgumentException("a TLS proxy needs the lab's CA to mint the identities it presents", nameof(options));
        var validator = CertificateValidator.ForRoot(lab.Root, lab.Overlay);
        var identities = new ProxyIdentities(lab, options.Presentation);
        var upstreamId = options.UpstreamNodeId ?? await LearnUpstreamNodeId(options, lab, validator, cancel).ConfigureAwait(false);
        // Toward the downstream peer the proxy claims to be the upstream.
        var listener = new TlsLinkListener(options.Listen, new LinkSecurity(identities.For(upstreamId), validator) { Log = options.Log });
        return new AdversaryProxy(options, listener, null, identities, validator, upstreamId);
    }

    private static async Task<Opaque> LearnUpstreamNodeId(ProxyOptions options, EnrollmentAuthority lab, CertificateValidator validator, CancellationToken cancel)
    {
        var probe = new ProxyIdentities(lab, ProxyPresentation.Insider).For(Opaque.Empty);
        await using var link = await TlsLinks.ConnectAsync(options.Upstream, new LinkSecurity(probe, validator), cancel: cancel).ConfigureAwait(false);
        return link.PeerNodeId;
    }

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            StreamLink down;
            try
            {
                down = _tls is not null ? await _tls.AcceptAsync(_stop.Token).ConfigureAwait(false) : await _plain!.AcceptInsecureAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) { return; }
            catch (LinkRefusedException e)
            {
                _options.Log?.Invoke($"downstream refused: {e.Message}");
                continue;
            }
            catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or ObjectDisposedException)
            {
                if (_stop.IsCancellationRequested) return;
                _options.Log?.Invoke($"accept failed: {e.Message}");
                continue;
            }
            Interlocked.Increment(ref _connections);
            lock (_sessions) _sessions.Add(Task.Run(() => Relay(down)));
        }
    }

    private async Task Relay(StreamLink down)
    {
        StreamLink up;
        try
        {
            up = _tls is not null
                // Toward the upstream the proxy claims to be the downstream peer.
                ? await TlsLinks.ConnectAsync(_options.Upstream, new LinkSecurity(_identities!.For(down.PeerNodeId), _validator!) { Log = _options.Log }, cancel: _stop.Token).ConfigureAwait(false)
                : await PlaintextLinks.ConnectInsecureAsync(_options.Upstream, _options.Transport == ProxyTransport.PlaintextFramed, cancel: _stop.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is LinkRefusedException or OperationCanceledException or IOException)
        {
            _options.Log?.Invoke($"upstream {_options.Upstream}: {e.Message}");
            await down.DisposeAsync().ConfigureAwait(false);
            return;
        }
        if (_options.Capture is { } capture)
        {
            down.Pipeline.Add(new P2psip.Capture.StreamCaptureHandler(capture));
            up.Pipeline.Add(new P2psip.Capture.StreamCaptureHandler(capture));
        }
        var session = new ProxySession(this, down, up);
        await Task.WhenAll(session.Pump(down, LinkDirection.Outbound), session.Pump(up, LinkDirection.Inbound)).ConfigureAwait(false);
    }

    /// <summary>The two links of one relayed connection and what the engine's effects do to them.</summary>
    private sealed class ProxySession(AdversaryProxy proxy, StreamLink down, StreamLink up)
    {
        private readonly Opaque _downId = down.PeerNodeId;
        private readonly Opaque _upId = up.PeerNodeId.IsEmpty ? proxy.UpstreamNodeId : up.PeerNodeId;

        public async Task Pump(StreamLink from, LinkDirection direction)
        {
            try
            {
                while (await from.ReceiveAsync(proxy._stop.Token).ConfigureAwait(false) is { } message)
                {
                    var decision = proxy.Engine.Decide(new AdversaryMessage(message.ToArray(), direction, proxy.Engine.NextPosition())
                    {
                        LocalNodeId = _downId,
                        RemoteNodeId = _upId,
                        Time = proxy._clock.Elapsed,
                    });
                    foreach (var effect in decision.Effects)
                        if (!await Apply(effect, direction).ConfigureAwait(false)) return;
                }
            }
            catch (Exception e) when (e is OperationCanceledException or LinkFailedException or IOException or ObjectDisposedException) { }
            finally
            {
                // One side gone: the relayed link is gone.
                await down.DisposeAsync().ConfigureAwait(false);
                await up.DisposeAsync().ConfigureAwait(false);
            }
        }

        private StreamLink Toward(LinkDirection direction) => direction == LinkDirection.Outbound ? up : down;

        /// <summary>Carries out one effect; false when the link is to close.</summary>
        private async Task<bool> Apply(AdversaryEffect effect, LinkDirection direction)
        {
            switch (effect)
            {
                case ForwardEffect f: await Send(Toward(direction), f.Bytes, f.Delay).ConfigureAwait(false); return true;
                case InjectEffect i: await Send(Toward(i.Direction), i.Bytes, i.Delay).ConfigureAwait(false); return true;
                case ScheduleEffect { To: null } s: await Send(Toward(s.Direction), s.Bytes, s.After).ConfigureAwait(false); return true;
                case CloseLinkEffect: return false;
                default:
                    proxy._options.Log?.Invoke($"{effect}: a proxy on one link cannot reach another node; dropped");
                    return true;
            }
        }

        private Task Send(StreamLink link, byte[] bytes, TimeSpan delay)
        {
            if (delay <= TimeSpan.Zero) return link.SendAsync(bytes, proxy._stop.Token);
            // Later, without holding up the messages behind it.
            _ = Task.Run(async () =>
            {
                try
                {
                    await Task.Delay(delay, proxy._stop.Token).ConfigureAwait(false);
                    await link.SendAsync(bytes, proxy._stop.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is OperationCanceledException or LinkFailedException or IOException or ObjectDisposedException) { }
            });
            return Task.CompletedTask;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_tls is not null) await _tls.DisposeAsync().ConfigureAwait(false);
        if (_plain is not null) await _plain.DisposeAsync().ConfigureAwait(false);
        await _accepting.ConfigureAwait(false);
        Task[] sessions;
        lock (_sessions) sessions = [.. _sessions];
        await Task.WhenAll(sessions).ConfigureAwait(false);
        _stop.Dispose();
    }
}
