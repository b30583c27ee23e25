using System.Diagnostics;
using System.Net;
using P2psip.Links;
using P2psip.Wire;

namespace P2psip.Adversary.Proxy;

/// <summary>
/// A man in the middle on one overlay link: it accepts the downstream peer's link (TLS or DTLS with
/// a harness identity, or plaintext), opens its own link to the upstream, and relays every message
/// through the engine. Seen by the engine, the proxy stands at the downstream peer's end: what the
/// downstream sends is Outbound, what comes back is Inbound; local = the downstream's Node-ID,
/// remote = the upstream's. Framing ACKs and retransmission are each link's own (StreamLink,
/// DtlsLink). Redirects and replays to another node go over a link the proxy opens to one of
/// <see cref="ProxyOptions.Also"/>; what that node sends back is Inbound, with that node as remote.
/// </summary>
public sealed class AdversaryProxy : IAsyncDisposable
{
    private readonly ProxyOptions _options;
    private readonly ProxyLinks _links;
    private readonly CancellationTokenSource _stop = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<Task> _sessions = [];
    private readonly Task _accepting;
    private int _connections, _ended;

    private AdversaryProxy(ProxyOptions options, ProxyLinks links, Opaque upstreamNodeId, IReadOnlyList<ProxyNode> others)
    {
        _options = options;
        _links = links;
        UpstreamNodeId = upstreamNodeId;
        Others = others;
        _accepting = Task.Run(AcceptLoop);
    }

    public IPEndPoint LocalEndpoint => _links.LocalEndpoint;
    public AdversaryEngine Engine => _options.Engine;
    public Opaque UpstreamNodeId { get; }
    /// <summary>The other nodes it can send to, with their Node-IDs.</summary>
    public IReadOnlyList<ProxyNode> Others { get; }
    /// <summary>Downstream links accepted so far.</summary>
    public int Connections => Volatile.Read(ref _connections);
    /// <summary>Relayed connections whose links are all closed (or reset) now.</summary>
    public int ConnectionsEnded => Volatile.Read(ref _ended);

    public static async Task<AdversaryProxy> StartAsync(ProxyOptions options, CancellationToken cancel = default)
    {
        if (options.Transport is not ProxyTransport.Tls and not ProxyTransport.Dtls && options.Also.FirstOrDefault(n => n.NodeId is null) is { } unnamed)
            throw new ArgumentException($"{unnamed.Endpoint}: a plaintext link carries no certificate to learn its Node-ID from; give it", nameof(options));
        var (links, upstreamId, others) = await ProxyLinks.StartAsync(options, cancel).ConfigureAwait(false);
        return new AdversaryProxy(options, links, upstreamId, others);
    }

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            PipelinedLink down;
            try { down = await _links.AcceptAsync(_stop.Token).ConfigureAwait(false); }
            catch (OperationCanceledException) { return; }
            catch (LinkRefusedException e)
            {
                _options.Log?.Invoke($"downstream refused: {e.Message}");
                continue;
            }
            catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or ObjectDisposedException or InvalidOperationException)
            {
                if (_stop.IsCancellationRequested) return;
                _options.Log?.Invoke($"accept failed: {e.Message}");
                continue;
            }
            Interlocked.Increment(ref _connections);
            lock (_sessions) _sessions.Add(Task.Run(() => Relay(down)));
        }
    }

    private async Task Relay(PipelinedLink down)
    {
        PipelinedLink up;
        // Toward the upstream the proxy claims to be the downstream peer.
        try { up = await Open(_options.Upstream, down.PeerNodeId).ConfigureAwait(false); }
        catch (Exception e) when (e is LinkRefusedException or OperationCanceledException or IOException or System.Net.Sockets.SocketException)
        {
            _options.Log?.Invoke($"upstream {_options.Upstream}: {e.Message}");
            await down.DisposeAsync().ConfigureAwait(false);
            return;
        }
        Capture(down);
        var session = new ProxySession(this, down, up);
        await session.Run().ConfigureAwait(false);
    }

    private async Task<PipelinedLink> Open(IPEndPoint endpoint, Opaque presentAs)
    {
        var link = await _links.ConnectAsync(endpoint, presentAs, _stop.Token).ConfigureAwait(false);
        Capture(link);
        return link;
    }

    private void Capture(PipelinedLink link)
    {
        if (_options.Capture is { } capture) link.Pipeline.Add(new P2psip.Capture.StreamCaptureHandler(capture));
    }

    private enum Outcome { Continue, Close, Reset }

    /// <summary>The links of one relayed connection (downstream, upstream, and any opened to other nodes) and what the engine's effects do to them.</summary>
    private sealed class ProxySession(AdversaryProxy proxy, PipelinedLink down, PipelinedLink up)
    {
        private readonly Opaque _downId = down.PeerNodeId;
        private readonly Opaque _upId = up.PeerNodeId.IsEmpty ? proxy.UpstreamNodeId : up.PeerNodeId;
        private readonly Dictionary<Opaque, Task<PipelinedLink?>> _others = [];
        private readonly List<Task> _otherPumps = [];
        private int _ended;

        public async Task Run()
        {
            Relay(down, LinkDirection.Outbound, _upId);
            Relay(up, LinkDirection.Inbound, _upId);
            await Task.WhenAll(Drain(down, main: true), Drain(up, main: true)).ConfigureAwait(false);
            Task[] pumps;
            lock (_others) pumps = [.. _otherPumps];
            await Task.WhenAll(pumps).ConfigureAwait(false);
        }

        /// <summary>
        /// Relays what <paramref name="from"/> reads from its own reader, through a handler at the
        /// owner's end of its pipeline (capture, at the wire end, records the bytes as they came): no
        /// hop through the link's inbox to another task, and the link reads its next message only
        /// when this one's effects are sent, so the order holds. The message is forwarded before the
        /// framing ACK is written (<see cref="FramedStreamControl.AckAfterDelivery"/>).
        /// </summary>
        private void Relay(PipelinedLink from, LinkDirection direction, Opaque remoteId)
        {
            from.Pipeline.AddFirst(new RelayHandler(this, direction, remoteId));
            if (from is StreamLink { IsFramed: true } stream) stream.Frames.AckAfterDelivery = true;
        }

        /// <summary>Waits for the link's end (its handler takes every message, so nothing reaches the inbox); then the relayed link ends.</summary>
        private async Task Drain(PipelinedLink from, bool main)
        {
            try
            {
                while (await from.ReceiveAsync(proxy._stop.Token).ConfigureAwait(false) is not null) { }
            }
            catch (Exception e) when (e is OperationCanceledException or LinkFailedException or IOException or ObjectDisposedException) { }
            // One side of the relayed link gone: the relayed link is gone; another node's link alone is just closed.
            if (main) await End(reset: false).ConfigureAwait(false);
            else await from.DisposeAsync().ConfigureAwait(false);
        }

        /// <summary>One message read on a link: decided, its effects carried out in order.</summary>
        internal async ValueTask Relayed(ReadOnlyMemory<byte> message, LinkDirection direction, Opaque remoteId)
        {
            if (Volatile.Read(ref _ended) != 0) return;
            var decision = proxy.Engine.Decide(new AdversaryMessage(Owned(message), direction, proxy.Engine.NextPosition())
            {
                LocalNodeId = _downId,
                RemoteNodeId = remoteId,
                Time = proxy._clock.Elapsed,
            });
            try
            {
                foreach (var effect in decision.Effects)
                {
                    var outcome = await Apply(effect, direction).ConfigureAwait(false);
                    if (outcome == Outcome.Continue) continue;
                    // Not awaited: ending disposes this link, whose reader is the caller.
                    _ = End(outcome == Outcome.Reset);
                    return;
                }
            }
            catch (Exception e) when (e is OperationCanceledException or LinkFailedException or IOException or ObjectDisposedException)
            {
                _ = End(reset: false);
            }
        }

        /// <summary>The message's own array when the link read it into one of its own, else a copy.</summary>
        private static byte[] Owned(ReadOnlyMemory<byte> message) =>
            System.Runtime.InteropServices.MemoryMarshal.TryGetArray(message, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
                ? segment.Array
                : message.ToArray();

        private async Task End(bool reset)
        {
            if (Interlocked.Exchange(ref _ended, 1) != 0) return;
            List<PipelinedLink> links = [down, up];
            Task<PipelinedLink?>[] opening;
            lock (_others) opening = [.. _others.Values];
            foreach (var o in opening)
                if (await o.ConfigureAwait(false) is { } link) links.Add(link);
            foreach (var link in links)
                await (reset ? link.AbortAsync() : link.DisposeAsync()).ConfigureAwait(false);
            Interlocked.Increment(ref proxy._ended);
        }

        private PipelinedLink Toward(LinkDirection direction) => direction == LinkDirection.Outbound ? up : down;

        /// <summary>Carries out one effect; anything but Continue ends the relayed link.</summary>
        private async Task<Outcome> Apply(AdversaryEffect effect, LinkDirection direction)
        {
            switch (effect)
            {
                case ForwardEffect f: await Send(Toward(direction), f.Bytes, f.Delay).ConfigureAwait(false); break;
                case InjectEffect i: await Send(Toward(i.Direction), i.Bytes, i.Delay).ConfigureAwait(false); break;
                case ScheduleEffect { To: null } s: await Send(Toward(s.Direction), s.Bytes, s.After).ConfigureAwait(false); break;
                case ScheduleEffect { To: { } to } s: await SendTo(to, s.Bytes, s.After).ConfigureAwait(false); break;
                case RedirectEffect r: await SendTo(r.To, r.Bytes, r.Delay).ConfigureAwait(false); break;
                case CloseLinkEffect c: return c.Reset ? Outcome.Reset : Outcome.Close;
            }
            return Outcome.Continue;
        }

        /// <summary>To another node: the upstream or downstream when it is one of them, else a link of its own.</summary>
        private async Task SendTo(NodeTarget to, byte[] bytes, TimeSpan delay)
        {
            var link = to.NodeId == _upId ? up : to.NodeId == _downId ? down : await Other(to.NodeId).ConfigureAwait(false);
            if (link is null)
            {
                proxy._options.Log?.Invoke($"{to}: not the upstream, not the downstream and not one of the proxy's other nodes (--also); {bytes.Length} bytes dropped");
                return;
            }
            try { await Send(link, bytes, delay).ConfigureAwait(false); }
            catch (Exception e) when (link != up && link != down && e is LinkFailedException or IOException or ObjectDisposedException)
            {
                proxy._options.Log?.Invoke($"{to}: {e.Message}; {bytes.Length} bytes dropped");
            }
        }

        private Task<PipelinedLink?> Other(Opaque nodeId)
        {
            lock (_others)
            {
                if (!_others.TryGetValue(nodeId, out var link))
                    _others[nodeId] = link = OpenOther(nodeId);
                return link;
            }
        }

        private async Task<PipelinedLink?> OpenOther(Opaque nodeId)
        {
            if (proxy.Others.FirstOrDefault(n => n.NodeId == nodeId) is not { } node) return null;
            PipelinedLink link;
            // The other node sees the downstream peer, as the upstream does.
            try { link = await proxy.Open(node.Endpoint, _downId).ConfigureAwait(false); }
            catch (Exception e) when (e is LinkRefusedException or OperationCanceledException or IOException or System.Net.Sockets.SocketException)
            {
                proxy._options.Log?.Invoke($"{node.Endpoint}: {e.Message}");
                return null;
            }
            Relay(link, LinkDirection.Inbound, nodeId);
            lock (_others) _otherPumps.Add(Drain(link, main: false));
            return link;
        }

        private Task Send(PipelinedLink link, byte[] bytes, TimeSpan delay)
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

    /// <summary>At the owner's end of a relayed link's pipeline: what the link reads goes to the session; what the session sends passes.</summary>
    private sealed class RelayHandler(ProxySession session, LinkDirection direction, Opaque remoteId) : ILinkHandler
    {
        public ValueTask HandleAsync(LinkMessage message, LinkContext context) =>
            message.Direction == LinkDirection.Inbound ? session.Relayed(message.Bytes, direction, remoteId) : context.ForwardAsync(message);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _links.DisposeAsync().ConfigureAwait(false);
        await _accepting.ConfigureAwait(false);
        Task[] sessions;
        lock (_sessions) sessions = [.. _sessions];
        await Task.WhenAll(sessions).ConfigureAwait(false);
        _stop.Dispose();
    }
}
