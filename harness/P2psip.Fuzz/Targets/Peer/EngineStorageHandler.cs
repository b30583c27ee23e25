using P2psip.Messages;
using P2psip.Peer;
using P2psip.Peer.Chord;
using P2psip.Peer.Scheduling;
using P2psip.Peer.Storage;
using P2psip.Wire;

namespace P2psip.Fuzz.Targets.Peer;

/// <summary>
/// The minimal adapter that plugs the real <see cref="StorageEngine"/> into a <see cref="ReferencePeer"/>
/// (the peer core only knows <see cref="IStorageHandler"/>): it turns the core's
/// <see cref="RequestContext"/> into a <see cref="StorageRequest"/> (signer, certificate bucket, the
/// scheduler's time, §7) and answers the engine's questions about the ring from the ranges the core
/// reports (responsible range, replica range and successors, §10.4). It does not replicate.
/// </summary>
public sealed class EngineStorageHandler : IStorageHandler, IStorageResponsibility
{
    private readonly IScheduler _scheduler;
    private ResourceRange? _responsible, _replicaRange;
    private IReadOnlyList<Opaque> _successors = [];

    public EngineStorageHandler(Overlay.OverlayConfiguration configuration, DefenceSwitches defences, IScheduler scheduler, StorageLimits? limits = null)
    {
        _scheduler = scheduler;
        Engine = new StorageEngine(configuration, defences, limits, this);
    }

    public StorageEngine Engine { get; }

    /// <summary>Requests that reached the engine (after the core's routing and signature checks).</summary>
    public int Requests { get; private set; }

    /// <summary>Stores the engine accepted (each may have changed the stored data).</summary>
    public int StoresAccepted { get; private set; }

    public bool Handles(ushort messageCode) =>
        messageCode is MessageCodes.StoreReq or MessageCodes.FetchReq or MessageCodes.StatReq or MessageCodes.FindReq;

    public MessageBody Handle(MessageBody request, RequestContext context)
    {
        _successors = context.Successors;
        Requests++;
        var storage = new StorageRequest(context.SignerCertificate, context.SignerNodeId,
            new ValueList<Opaque>(context.Message.Security.Certificates.Select(c => c.Certificate).ToArray()),
            context.Scheduler.Now, context.LocalNodeId);
        // Replication to the successors (§10.4) is not wired: the ring holds no replicas.
        var answer = Engine.Handle(request, storage);
        if (answer is Messages.Storage.StoreAns) StoresAccepted++;
        return answer;
    }

    public IEnumerable<MessageBody> HandoverRequests(ResourceRange range) =>
        Engine.Export(new RingRange(range.From.ToOpaque(), range.To.ToOpaque()), _scheduler.Now, replicaNumber: 1);

    public void ResponsibilityChanged(ResourceRange responsible, ResourceRange replicaRange)
    {
        _responsible = responsible;
        _replicaRange = replicaRange;
    }

    public int ResourceCount => Engine.Usage.Resources;

    /// <summary>The engine's Kinds, so the peer decodes private Kinds as the engine expects (§11.1).</summary>
    public Messages.Storage.KindRegistry Kinds => Engine.Registry;

    bool IStorageResponsibility.IsResponsibleFor(Opaque resourceId) =>
        _responsible is not { } r || r.From == r.To || r.Contains(RingId.From(resourceId));

    bool IStorageResponsibility.AcceptsReplicaFrom(Opaque resourceId, Opaque senderNodeId) =>
        _replicaRange is not { } r || r.From == r.To || r.Contains(RingId.From(resourceId));

    ValueList<Opaque> IStorageResponsibility.ReplicasFor(Opaque resourceId) => new(_successors.Take(2).ToArray());
}
