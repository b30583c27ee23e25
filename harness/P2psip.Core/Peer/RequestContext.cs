using P2psip.Messages;
using P2psip.Overlay;
using P2psip.Peer.Chord;
using P2psip.Peer.Scheduling;
using P2psip.Security;
using P2psip.Wire;

namespace P2psip.Peer;

/// <summary>
/// What a request handler may know and do about one incoming request: who sent it (the origin of
/// the Via list and, when signatures are verified, the signer's certificate), whether this peer is
/// responsible for the target Resource-ID, the neighbours (replicas go to the first two
/// successors, §10.4) and a way to send requests of its own.
/// </summary>
public sealed class RequestContext
{
    public required ReloadMessage Message { get; init; }

    /// <summary>This peer's Node-ID.</summary>
    public required Opaque LocalNodeId { get; init; }

    /// <summary>The Node-ID the request came from: the first Via entry, or the link's if it came direct (§6.1.2).</summary>
    public required Opaque OriginNodeId { get; init; }

    /// <summary>The Node-ID of the link it arrived on; empty when this peer sent it to itself.</summary>
    public required Opaque PreviousHop { get; init; }

    /// <summary>The signer's certificate when the signature was verified, otherwise null.</summary>
    public ReloadCertificate? SignerCertificate { get; init; }

    /// <summary>The Node-ID the signature is bound to when it was verified, otherwise empty.</summary>
    public Opaque SignerNodeId { get; init; }

    /// <summary>The Resource-ID the request was addressed to, if its destination was a Resource-ID.</summary>
    public Opaque? TargetResourceId { get; init; }

    /// <summary>Whether this peer is responsible for the target Resource-ID (false: a replica Store from a predecessor, §10.4).</summary>
    public required bool IsResponsible { get; init; }

    public required ResourceRange ResponsibleRange { get; init; }
    public required IReadOnlyList<Opaque> Predecessors { get; init; }
    public required IReadOnlyList<Opaque> Successors { get; init; }
    public required OverlayConfiguration Configuration { get; init; }
    public required DefenceSwitches Defences { get; init; }
    public required IScheduler Scheduler { get; init; }

    /// <summary>Sends a request to a Node-ID without waiting for its answer (replicas, §10.4).</summary>
    public required Action<Opaque, MessageBody> SendRequest { get; init; }

    /// <summary>
    /// As <see cref="SendRequest"/>, with further certificates in the bucket: a replica Store carries
    /// the certificates of its values' signers, which its receiver may never have met (§10.4, §7.1).
    /// </summary>
    public Action<Opaque, MessageBody, IReadOnlyList<Opaque>>? SendRequestWithCertificates { get; init; }
}
