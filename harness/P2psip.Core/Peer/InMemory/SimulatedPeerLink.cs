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

    // Not `this`: the link layer keeps links in a hash set, and an object with a hash code in its header locks the slow way.
    private readonly object _sync = new();

    internal SimulatedPeerLink(InMemoryNetwork network, InMemoryLinkLayer owner, Opaque remoteNodeId, ReloadCertificate? remoteCertificate, IpAddressPort remoteAddress)
    {
        _network = network;
        _owner = owner;
        RemoteNodeId = remoteNodeId;
        RemoteCertificate = remoteCertificate;
        RemoteAddress = remoteAddress;
    }

    internal SimulatedPeerLink? Other { get; set; }

    private readonly Queue<byte[]> _inbox = new();

    /// <summary>Held while one message is handed to the owner, so deliveries on one link never overlap or reorder.</summary>
    internal object DeliveryGate { get; } = new();

    internal void Enqueue(byte[] message)
    {
        lock (_inbox) _inbox.Enqueue(message);
    }

    internal bool TryDequeue(out byte[] message)
    {
        lock (_inbox) return _inbox.TryDequeue(out message!);
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

    public void Send(ReadOnlyMemory<byte> message)
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
