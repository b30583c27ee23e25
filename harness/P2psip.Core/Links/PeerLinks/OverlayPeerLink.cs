using System.Threading.Channels;
using P2psip.Messages;
using P2psip.Peer;
using P2psip.Security;
using P2psip.Wire;

namespace P2psip.Links.PeerLinks;

/// <summary>
/// A real overlay link (TLS or DTLS, §6.6) as the peer core sees it: a receive loop feeding whole
/// messages to the peer, and a send queue so the peer never blocks on the network under its lock.
/// Its <see cref="Pipeline"/> is the wrapped link's: handlers put on it before <see cref="Start"/>
/// (the link layer's <see cref="OverlayPeerLinkLayer.AddHandler"/> and <see cref="OverlayPeerLinkLayer.LinkOpened"/>
/// run then) see the link's first message.
/// </summary>
public sealed class OverlayPeerLink : IPeerLink
{
    private readonly Channel<ReadOnlyMemory<byte>> _outbound;
    private readonly CancellationTokenSource _stop = new();
    private Action<IPeerLink>? _closed;
    private int _closedOnce;
    private int _closing;

    /// <summary>How long <see cref="CloseAfterQueued"/> lets the send queue drain before the link is shut regardless.</summary>
    public static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(2);

    public OverlayPeerLink(IOverlayLink link, IpAddressPort? remoteAddress, int sendQueueCapacity = 1024)
    {
        Link = link;
        RemoteAddress = remoteAddress;
        // Bounded: a peer that cannot keep up loses messages (the transaction layer retransmits, §6.2.1) rather than memory.
        _outbound = Channel.CreateBounded<ReadOnlyMemory<byte>>(new BoundedChannelOptions(sendQueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait, // TryWrite fails when full: the drop is counted
            SingleReader = true,
        });
    }

    /// <summary>The link underneath, for its protocol and frame-level access.</summary>
    public IOverlayLink Link { get; }

    /// <summary>The link's handlers (capture, the adversary, certificate learning).</summary>
    public LinkPipeline Pipeline => Link.Pipeline;

    /// <summary>The link's metadata: addresses, Node-IDs, protocol, which end opened it.</summary>
    public LinkInfo Info => Link.Info;

    public Opaque RemoteNodeId => Link.PeerNodeId;
    public ReloadCertificate? RemoteCertificate => Link.PeerCertificate;
    public IpAddressPort? RemoteAddress { get; }
    public bool IsOpen => _closedOnce == 0 && _closing == 0;

    /// <summary>Messages waiting to be sent.</summary>
    public int SendQueueCount => _outbound.Reader.Count;

    /// <summary>Messages dropped because the send queue was full (the neighbour is not reading).</summary>
    public long SendQueueDrops => Interlocked.Read(ref _sendQueueDrops);
    private long _sendQueueDrops;

    /// <summary>Why the link closed, when a send or receive failed (null after an orderly close).</summary>
    public string? Failure { get; private set; }

    public void Start(Action<IPeerLink, ReadOnlyMemory<byte>> received, Action<IPeerLink> closed)
    {
        _closed = closed;
        _ = Task.Run(() => ReceiveLoop(received));
        _ = Task.Run(SendLoop);
        Link.Start(); // only now does the link read: every handler is on it already
    }

    private async Task ReceiveLoop(Action<IPeerLink, ReadOnlyMemory<byte>> received)
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var message = await Link.ReceiveAsync(_stop.Token).ConfigureAwait(false);
                if (message is not { } m) break;
                if (Volatile.Read(ref _closing) != 0) continue; // closing: the peer has let this link go
                received(this, m);
            }
        }
        catch (Exception e)
        {
            // Whatever went wrong, the link ends here and its owner is told (issue 11, defect 4): an
            // allow-list of exception types would let any other type end the loop with the link "open".
            Failure ??= e is OperationCanceledException ? null : $"receive failed: {e.Message}";
        }
        Shut(notify: Volatile.Read(ref _closing) == 0);
    }

    private async Task SendLoop()
    {
        try
        {
            await foreach (var message in _outbound.Reader.ReadAllAsync(_stop.Token).ConfigureAwait(false))
                await Link.SendAsync(message, _stop.Token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // A DTLS link that got no ACK throws LinkFailedException; it, and anything else, closes the link.
            Failure ??= e is OperationCanceledException ? null : $"send failed: {e.Message}";
        }
        // After CloseAfterQueued the queue has drained: now the wire closes (the owner asked, so it is not told).
        Shut(notify: Volatile.Read(ref _closing) == 0);
    }

    public void Send(ReadOnlyMemory<byte> message)
    {
        if (IsOpen && !_outbound.Writer.TryWrite(message) && IsOpen) Interlocked.Increment(ref _sendQueueDrops);
    }

    public void Close() => Shut(notify: false);

    /// <summary>
    /// Closes once what is queued has gone out — the error response that explains the close
    /// (Error_Message_Too_Large, §6.3.2) — instead of dropping it; nothing more is queued or
    /// delivered meanwhile, and a far end that does not read gets <see cref="DrainTimeout"/>.
    /// </summary>
    public void CloseAfterQueued()
    {
        if (Interlocked.Exchange(ref _closing, 1) != 0) return;
        _outbound.Writer.TryComplete();
        _ = Task.Delay(DrainTimeout).ContinueWith(_ => Shut(notify: false), TaskScheduler.Default);
    }

    private void Shut(bool notify = true)
    {
        if (Interlocked.Exchange(ref _closedOnce, 1) != 0) return;
        _outbound.Writer.TryComplete();
        _stop.Cancel();
        _ = Link.DisposeAsync().AsTask().ContinueWith(t => _ = t.Exception, TaskScheduler.Default);
        if (notify) _closed?.Invoke(this);
        Closed?.Invoke(this);
    }

    /// <summary>Raised once when the link closes, either way (the link layer stops tracking it).</summary>
    internal event Action<OverlayPeerLink>? Closed;

    public override string ToString() => $"{Link.Protocol} link to {RemoteNodeId.ToHex()}";
}
