using P2psip.Messages;
using P2psip.Peer.Scheduling;
using P2psip.Security;
using P2psip.Wire;

namespace P2psip.Peer.InMemory;

/// <summary>
/// Overlay links inside one process for the simulator and the tests: each peer gets a made-up
/// IPv4 address (10.x.y.z:6084), links are pairs of in-memory ends, and every message is delivered
/// through the scheduler after <see cref="Latency"/>, so with a <see cref="VirtualScheduler"/> a
/// run is deterministic. Links are "authenticated" by construction: each end carries the Node-ID
/// and certificate its owner registered with.
/// </summary>
public sealed class InMemoryNetwork(IScheduler scheduler)
{
    private readonly Dictionary<IpAddressPort, InMemoryLinkLayer> _listeners = [];
    private readonly object _lock = new(); // with a real-time scheduler, deliveries run on pool threads
    private uint _nextAddress = 1;
    private long _messages, _bytes;

    public IScheduler Scheduler { get; } = scheduler;

    /// <summary>One-way delay of every message and connection.</summary>
    public TimeSpan Latency { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>Messages delivered over all links so far.</summary>
    public long MessagesDelivered => Interlocked.Read(ref _messages);

    public long BytesDelivered => Interlocked.Read(ref _bytes);

    /// <summary>
    /// Sees every message about to be delivered (sender's Node-ID, receiver's Node-ID, bytes) and
    /// returns the bytes to deliver, or null to drop them: the hook tests use to tamper with or
    /// drop traffic in flight.
    /// </summary>
    public Func<Opaque, Opaque, ReadOnlyMemory<byte>, ReadOnlyMemory<byte>?>? Intercept { get; set; }

    /// <summary>Gives a peer its link layer: a fresh address, its Node-ID and (optionally) certificate.</summary>
    public InMemoryLinkLayer Attach(Opaque nodeId, ReloadCertificate? certificate)
    {
        lock (_lock)
        {
            uint n = _nextAddress++;
            var address = new IpAddressPort(IpAddressPort.Ipv4, new byte[] { 10, (byte)(n >> 16), (byte)(n >> 8), (byte)n }, 6084);
            var layer = new InMemoryLinkLayer(this, address, nodeId, certificate);
            _listeners[address] = layer;
            return layer;
        }
    }

    internal void Remove(InMemoryLinkLayer layer)
    {
        lock (_lock) _listeners.Remove(layer.LocalAddress);
    }

    internal void Connect(InMemoryLinkLayer from, IpAddressPort address, Opaque? expectedNodeId, Action<IPeerLink?, string?> done)
    {
        Scheduler.Schedule(Latency, () =>
        {
            InMemoryLinkLayer? to;
            lock (_lock) _listeners.TryGetValue(address, out to);
            if (to?.Accepting is null)
            {
                done(null, "connection refused");
                return;
            }
            if (expectedNodeId is { } expected && expected != to.NodeId)
            {
                done(null, $"the remote end authenticated as {to.NodeId.ToHex()}, not {expected.ToHex()}");
                return;
            }
            var near = new SimulatedPeerLink(this, from, to.NodeId, to.Certificate, to.LocalAddress);
            var far = new SimulatedPeerLink(this, to, from.NodeId, from.Certificate, from.LocalAddress);
            near.Other = far;
            far.Other = near;
            from.Track(near);
            to.Track(far);
            to.Accepting?.Invoke(far);
            done(near, null);
        });
    }

    internal void Deliver(SimulatedPeerLink from, byte[] message)
    {
        var to = from.Other!;
        if (Scheduler is VirtualScheduler virtualTime)
        {
            // One thread, one latency: the events of a link run in the order they were posted, so the
            // message can travel with its event (no queue, no locks) and the link stays FIFO.
            virtualTime.Post(Latency, () =>
            {
                if (to.IsOpen) Arrive(from, to, message);
            });
            return;
        }
        // Each event takes the oldest queued message, so a link stays FIFO even when a real-time
        // scheduler runs the events out of order on several threads.
        to.Enqueue(message);
        Scheduler.Schedule(Latency, () =>
        {
            lock (to.DeliveryGate)
            {
                if (to.IsOpen && to.TryDequeue(out var copy)) Arrive(from, to, copy);
            }
        });
    }

    private void Arrive(SimulatedPeerLink from, SimulatedPeerLink to, byte[] message)
    {
        ReadOnlyMemory<byte> bytes = message;
        if (Intercept is { } intercept)
        {
            var changed = intercept(to.RemoteNodeId, from.RemoteNodeId, bytes);
            if (changed is null) return;
            bytes = changed.Value;
        }
        Interlocked.Increment(ref _messages);
        Interlocked.Add(ref _bytes, bytes.Length);
        to.Receive(bytes);
    }

    internal void Closed(SimulatedPeerLink end)
    {
        var other = end.Other;
        if (other is null) return;
        Scheduler.Schedule(Latency, other.RemoteClosed);
    }
}
