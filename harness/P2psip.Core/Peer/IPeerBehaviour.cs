using P2psip.Messages;
using P2psip.Messages.Chord;
using P2psip.Peer.Chord;
using P2psip.Peer.Transport;

namespace P2psip.Peer;

/// <summary>
/// Where a persona (a malicious peer of the adversary, DESIGN.md §4) changes what a reference peer
/// does without forking it: the request dispatch, the answers to Update, RouteQuery and Probe, the
/// Updates it sends, and the next-hop choice. Each hook gets what the honest reference would do
/// and returns what this peer does; the default of every hook is the honest behaviour, so a
/// persona overrides only what it lies about. Hooks run under the peer's lock.
/// </summary>
public interface IPeerBehaviour
{
    /// <summary>Every request delivered to this peer; <paramref name="honest"/> handles it as the reference does (or a persona drops it, answers it itself, ...).</summary>
    void OnRequest(ReferencePeer peer, IncomingRequest request, Action<IncomingRequest> honest) => honest(request);

    /// <summary>The answer to an Update (§10.7).</summary>
    MessageBody AnswerUpdate(ReferencePeer peer, IncomingRequest request, MessageBody honest) => honest;

    /// <summary>The answer to a RouteQuery (§10.8): where this peer says it would route.</summary>
    MessageBody AnswerRouteQuery(ReferencePeer peer, IncomingRequest request, MessageBody honest) => honest;

    /// <summary>The answer to a Probe (§6.4.2.5).</summary>
    MessageBody AnswerProbe(ReferencePeer peer, IncomingRequest request, MessageBody honest) => honest;

    /// <summary>The Update this peer sends to <paramref name="to"/> (a routing-table poisoner lies here, §10.7).</summary>
    ChordUpdate UpdateToSend(ReferencePeer peer, RingId to, ChordUpdate honest) => honest;

    /// <summary>The next hop towards <paramref name="target"/> (§6.1.1); null drops the message.</summary>
    RingId? NextHop(ReferencePeer peer, RingId target, RingId? honest) => honest;
}

/// <summary>The reference's own behaviour: every hook as the RFC says.</summary>
public sealed class HonestBehaviour : IPeerBehaviour
{
    public static HonestBehaviour Instance { get; } = new();

    private HonestBehaviour() { }
}
