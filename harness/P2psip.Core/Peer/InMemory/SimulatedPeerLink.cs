using P2psip.Messages;
using P2psip.Security;
using P2psip.Wire;

namespace P2psip.Peer.InMemory;

/// <summary>
/// One end of a simulated peer link of an <see cref="InMemoryNetwork"/> (the simulator's stand-in for an
/// authenticated overlay link); messages go through the network's scheduler. Not the link layer's
/// <see cref="P2psip.Links.InMemoryLink"/>, a byte pipe for link tests.
/// </summary>
public sealed class SimulatedPeerLink : IPeerLink
{
    private readonly InMemoryNetwork _network;
    private readonly InMemoryLinkLayer _owner;
    private Action<IPeerLink, ReadOnlyMemory<byte>>? _received;
    private Action<IPeerLink>? _closed;
    private List<ReadOnlyMemory<byte>>? _early;

    internal SimulatedPeerLink(InMemoryNetwork network, InMemoryLinkLayer owner, Opaque remoteNodeId, ReloadCertificate? remoteCertificate, IpAddressPort remoteAddress)
    {
        _network = network;
        _owner = owner;
        RemoteNodeId = remoteNodeId;
        RemoteCertificate = remoteCertificate;
        RemoteAddress = remoteAddress;
    }

    internal SimulatedPeerLink? Other { get; set; }

    // Messages in flight to this end, for real-time schedulers only (on virtual time a message travels
    // with its event); made on first use.
    private Queue<byte[]>? _inbox;

    // Guards _inbox, _received, _closed and _early; a leaf lock, nothing is called under it. Not `this`:
    // the link layer keeps links in a hash set, and an object with a hash code in its header locks the slow way.
    private readonly object _sync = new();

    private object? _deliveryGate;

    /// <summary>
    /// Held while one message is handed to the owner, so deliveries on one link never overlap or
    /// reorder (real-time schedulers; made on first use). Not <c>_sync</c>: the owner's lock is taken
    /// under it, and <c>_sync</c> is taken under the owner's lock.
    /// </summary>
    internal object DeliveryGate => LazyInitializer.EnsureInitialized(ref _deliveryGate);

    internal void Enqueue(byte[] message)
    {
        lock (_sync) (_inbox ??= new()).Enqueue(message);
    }

    internal bool TryDequeue(out byte[] message)
    {
        lock (_sync)
        {
            message = null!;
            return _inbox is not null && _inbox.TryDequeue(out message!);
        }
    }

    public Opaque RemoteNodeId { get; }
    public ReloadCertificate? RemoteCertificate { get; }
    public IpAddressPort? RemoteAddress { get; }
    public bool IsOpen { get; private set; } = true;

    public void Start(Action<IPeerLink, ReadOnlyMemory<byte>> received, Action<IPeerLink> closed)
    {
        List<ReadOnlyMemory<byte>>? early;
        lock (_sync)
        {
            _received = received;
            _closed = closed;
            early = _early;
            _early = null;
        }
        if (early is not null)
            foreach (var m in early) received(this, m);
    }

    public void Send(ReadOnlyMemory<byte> message) => SendOwned(message.ToArray());

    /// <summary>The encoder's fresh buffer travels as it is: nobody else holds it.</summary>
    public void SendOwned(byte[] message)
    {
        if (IsOpen && Other is { IsOpen: true }) _network.Deliver(this, message);
    }

    public void Close()
    {
        if (!IsOpen) return;
        IsOpen = false;
        _owner.Untrack(this);
        _network.Closed(this);
    }

    internal void Receive(ReadOnlyMemory<byte> message)
    {
        Action<IPeerLink, ReadOnlyMemory<byte>>? received;
        lock (_sync)
        {
            received = _received;
            if (received is null && (_early ??= []).Count < 64) _early.Add(message);
        }
        received?.Invoke(this, message);
    }

    internal void RemoteClosed()
    {
        if (!IsOpen) return;
        IsOpen = false;
        _owner.Untrack(this);
        _closed?.Invoke(this);
    }

    public override string ToString() => $"in-memory link to {RemoteNodeId.ToHex()}";
}
