using P2psip.Links;
using P2psip.Messages;
using P2psip.Peer;
using P2psip.Peer.Scheduling;
using P2psip.Wire;

namespace P2psip.Adversary.Personas;

/// <summary>
/// A persona's message layer: wraps a reference peer's link layer so that every whole RELOAD
/// message on every one of its links, out and in, goes through an <see cref="AdversaryEngine"/> —
/// the peer's own code is not forked (issue 8: "a persona is a reference peer with rules applied at
/// its message layer"). Effects are carried out on the peer's <see cref="IScheduler"/>, so in the
/// simulator delays and timed replays run in virtual time; messages the adversary adds (forged
/// answers, duplicates, replays) are sent as they are, not decided again. A redirect or replay to
/// another node goes over an open link to it, or a new one to the address <see cref="Locate"/>
/// gives; with neither it is counted in <see cref="Undeliverable"/> and lost.
/// </summary>
public sealed class ScenarioLinkLayer : IPeerLinkLayer
{
    private readonly IPeerLinkLayer _inner;
    private readonly IScheduler _scheduler;
    private readonly DateTimeOffset _start;
    private readonly List<ScenarioPeerLink> _links = [];
    private long _undeliverable;

    public ScenarioLinkLayer(IPeerLinkLayer inner, AdversaryEngine engine, Opaque localNodeId, IScheduler scheduler, Func<Opaque, IpAddressPort?>? locate = null)
    {
        _inner = inner;
        Engine = engine;
        LocalNodeId = localNodeId;
        _scheduler = scheduler;
        _start = scheduler.Now;
        Locate = locate;
    }

    public AdversaryEngine Engine { get; }
    public Opaque LocalNodeId { get; }

    /// <summary>Where a node the scenario sends to can be reached (the simulator knows every peer's address).</summary>
    public Func<Opaque, IpAddressPort?>? Locate { get; }

    /// <summary>Redirected or replayed messages for nodes this peer had no way to reach.</summary>
    public long Undeliverable => Interlocked.Read(ref _undeliverable);

    public IpAddressPort LocalAddress => _inner.LocalAddress;
    public byte LinkProtocol => _inner.LinkProtocol;

    public void Listen(Action<IPeerLink> accepted) => _inner.Listen(link => accepted(Wrap(link)));

    public void Connect(IpAddressPort address, Opaque? expectedNodeId, Action<IPeerLink?, string?> done) =>
        _inner.Connect(address, expectedNodeId, (link, why) => done(link is null ? null : Wrap(link), why));

    public void Shutdown() => _inner.Shutdown();

    private ScenarioPeerLink Wrap(IPeerLink link)
    {
        var wrapped = new ScenarioPeerLink(this, link);
        lock (_links)
        {
            _links.RemoveAll(l => !l.IsOpen);
            _links.Add(wrapped);
        }
        return wrapped;
    }

    /// <summary>One message on <paramref name="link"/>: decided, then its effects carried out.</summary>
    internal void Handle(ScenarioPeerLink link, LinkDirection direction, ReadOnlyMemory<byte> message)
    {
        var decision = Engine.Decide(new AdversaryMessage(message.ToArray(), direction, Engine.NextPosition())
        {
            LocalNodeId = LocalNodeId,
            RemoteNodeId = link.RemoteNodeId,
            Time = _scheduler.Now - _start,
        });
        bool first = true, close = false;
        foreach (var effect in decision.Effects)
        {
            switch (effect)
            {
                case ForwardEffect f:
                    // The first undelayed copy goes on at once, in order; the rest follow it.
                    if (first && f.Delay == TimeSpan.Zero) Now(link, direction, f.Bytes);
                    else Later(link, direction, f.Bytes, f.Delay);
                    first = false;
                    break;
                case InjectEffect i:
                    Later(link, i.Direction, i.Bytes, i.Delay);
                    break;
                case ScheduleEffect { To: null } s:
                    Later(link, s.Direction, s.Bytes, s.After);
                    break;
                case ScheduleEffect s:
                    To(s.To!, s.Bytes, s.After);
                    break;
                case RedirectEffect r:
                    To(r.To, r.Bytes, r.Delay);
                    break;
                case CloseLinkEffect:
                    close = true;
                    break;
            }
        }
        // After what was sent: the network keeps a link's order, so those messages go first.
        if (close) _scheduler.Schedule(TimeSpan.Zero, link.Close);
    }

    private static void Now(ScenarioPeerLink link, LinkDirection direction, byte[] bytes)
    {
        if (direction == LinkDirection.Outbound) link.SendRaw(bytes);
        else link.DeliverRaw(bytes);
    }

    // Inbound copies are always delivered from a scheduler event: a decision made while the peer
    // sends (under its lock) must not hand it a message in the middle of that send.
    private void Later(ScenarioPeerLink link, LinkDirection direction, byte[] bytes, TimeSpan delay) =>
        _scheduler.Schedule(delay, () => Now(link, direction, bytes));

    private void To(NodeTarget target, byte[] bytes, TimeSpan delay) => _scheduler.Schedule(delay, () =>
    {
        ScenarioPeerLink? open;
        lock (_links) open = _links.FirstOrDefault(l => l.IsOpen && l.RemoteNodeId == target.NodeId);
        if (open is not null)
        {
            open.SendRaw(bytes);
            return;
        }
        if (Locate?.Invoke(target.NodeId) is not { } address)
        {
            Interlocked.Increment(ref _undeliverable);
            return;
        }
        _inner.Connect(address, target.NodeId, (link, _) =>
        {
            if (link is null)
            {
                Interlocked.Increment(ref _undeliverable);
                return;
            }
            // A link of the adversary's own: started here, what comes back on it is dropped.
            link.Start((_, _) => { }, _ => { });
            link.Send(bytes);
        });
    });
}
