using P2psip.Messages;
using P2psip.Messages.Chord;
using P2psip.Messages.Link;
using P2psip.Messages.Storage;
using P2psip.Messages.Topology;
using P2psip.Peer;
using P2psip.Peer.Chord;
using P2psip.Peer.Simulation;
using P2psip.Peer.Transport;
using P2psip.Tests.Peer;
using P2psip.Wire;

namespace P2psip.Tests.PeerDefects;

/// <summary>Issue 11, seam 3: a persona changes a reference peer's behaviour through <see cref="IPeerBehaviour"/>, without forking it.</summary>
public class PersonaHookTests
{
    /// <summary>Lies in RouteQuery answers, drops Pings, and sends everything it forwards to the wrong next hop.</summary>
    private sealed class LyingMisrouter : IPeerBehaviour
    {
        public static readonly RingId Fake = new(0x5EED);
        public List<(RingId Honest, RingId Chosen)> Misrouted { get; } = [];

        public void OnRequest(ReferencePeer peer, IncomingRequest request, Action<IncomingRequest> honest)
        {
            if (request.Body is PingReq) return; // a dropping responder
            honest(request);
        }

        public MessageBody AnswerRouteQuery(ReferencePeer peer, IncomingRequest request, MessageBody honest) =>
            new RouteQueryAns(new ChordRouteQueryAns(Fake.ToOpaque()));

        public RingId? NextHop(ReferencePeer peer, RingId target, RingId? honest)
        {
            if (honest is not { } h) return null;
            var wrong = peer.Transport.Connected.Where(c => c != h).OrderBy(c => c.Value).Cast<RingId?>().FirstOrDefault();
            if (wrong is { } w) Misrouted.Add((h, w));
            return wrong ?? honest;
        }
    }

    [Fact]
    public void APersonaThatLiesAndMisroutesIsObservedDoingSo()
    {
        var ring = new SimulatedRing(801);
        ring.Build(6);
        var persona = new LyingMisrouter();
        ring.CustomizeOptions = o => o with { Behaviour = persona };
        var m = ring.JoinOne();
        ring.CustomizeOptions = null;
        var honest = ring.Live.First(p => p != m);

        // The RouteQuery answer is the persona's lie, not m's routing.
        RequestOutcome? query = null;
        honest.Send(new NodeDestination(m.NodeId), new RouteQueryReq(false, new ResourceDestination(honest.Self.Add(7).ToOpaque())), o => query = o);
        ring.RunQuiet();
        var answer = Assert.IsType<RouteQueryAns>(query!.Body);
        Assert.Equal(LyingMisrouter.Fake.ToOpaque(), answer.Answer.NextPeer);

        // Pings to m are dropped by its dispatch hook: the sender times out.
        var ping = RingConvergenceTests.Send(ring, honest, new NodeDestination(m.NodeId), new PingReq(Opaque.Empty));
        Assert.Equal(ErrorCodes.RequestTimeout, ping.ErrorCode);

        // What m sends on is sent to the hop the persona chose, never the honest one.
        var sentTo = new List<Opaque>();
        ring.Network.Intercept = (sender, receiver, bytes) =>
        {
            if (sender == m.NodeId && ReloadCodec.DecodeCopy(bytes.Span) is { IsSuccess: true } d && d.Value.Body is StoreReq or FetchReq) sentTo.Add(receiver);
            return bytes;
        };
        for (int i = 0; i < 20; i++)
        {
            var target = m.Self.Add((UInt128)(i + 1) << 120).ToOpaque();
            m.Send(new ResourceDestination(target), new FetchReq(target, []), _ => { });
        }
        ring.RunQuiet();
        ring.Network.Intercept = null;
        Assert.NotEmpty(persona.Misrouted);
        Assert.All(persona.Misrouted, r => Assert.NotEqual(r.Honest, r.Chosen));
        Assert.NotEmpty(sentTo);
        Assert.All(sentTo, to => Assert.Contains(persona.Misrouted, r => r.Chosen.ToOpaque() == to));
    }

    [Fact]
    public void TheDefaultBehaviourIsHonest()
    {
        var ring = new SimulatedRing(803);
        ring.Build(6);
        Assert.All(ring.Peers, p => Assert.Same(HonestBehaviour.Instance, p.Options.Behaviour));
        Assert.Equal(1.0, ring.Lookups(50).SuccessRate);
    }
}
