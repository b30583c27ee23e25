using P2psip.Messages;
using P2psip.Messages.Storage;
using P2psip.Peer.Chord;
using P2psip.Wire;

namespace P2psip.Peer.Storage;

/// <summary>
/// The reference peer's storage layer: plugs the <see cref="StorageEngine"/> into the peer core
/// (<see cref="IStorageHandler"/>). It tells the engine who is asking (the verified signer, §6.3.4)
/// and where this peer stands on the ring (<see cref="ChordStorageResponsibility"/>), copies every
/// original Store it accepted to the first two successors (§10.4, replica numbers 1 and 2), exports
/// ranges for handover (§10.5 step 6, §10.9) and drops values outside the replica range (§10.7.3).
/// </summary>
public sealed class PeerStorageHandler : IStorageHandler
{
    private readonly ChordStorageResponsibility _responsibility;
    private readonly Security.ReloadCertificate? _localCertificate;
    private readonly Security.CertificateStore _known = new();
    private const int MaxKnownCertificates = 4096;

    /// <param name="localCertificate">This peer's own certificate: the requester of the requests it sends itself, which carry no verified signature.</param>
    /// <param name="validator">The overlay's validator, which every StoredData signer's certificate must pass (§7.1, §11.3).</param>
    public PeerStorageHandler(Overlay.OverlayConfiguration configuration, DefenceSwitches defences, Scheduling.IScheduler scheduler,
        Security.ReloadCertificate? localCertificate = null, StorageLimits? limits = null, Security.CertificateValidator? validator = null)
    {
        _localCertificate = localCertificate;
        _responsibility = new ChordStorageResponsibility();
        Scheduler = scheduler;
        Engine = new StorageEngine(configuration, defences, limits, _responsibility) { KnownCertificates = _known, Validator = validator };
    }

    public StorageEngine Engine { get; }

    /// <summary>Certificates this peer has met (links, signers, replica buckets): what its own lookups verify values against (§8).</summary>
    public Security.CertificateStore KnownCertificates => _known;
    public Scheduling.IScheduler Scheduler { get; }

    public bool Handles(ushort messageCode) =>
        messageCode is MessageCodes.StoreReq or MessageCodes.FetchReq or MessageCodes.StatReq or MessageCodes.FindReq;

    public MessageBody Handle(MessageBody request, RequestContext context)
    {
        _responsibility.Update(context.ResponsibleRange, context.Predecessors, context.Successors);
        // The requester is the verified signer; with message-signatures off, the claimed origin (§6.3.4).
        var requesterNodeId = context.SignerNodeId.IsEmpty ? context.OriginNodeId : context.SignerNodeId;
        var requester = context.SignerCertificate;
        // A request this peer sent itself was signed here and is not re-verified: the signer is this peer.
        if (requester is null && context.PreviousHop.IsEmpty && requesterNodeId == context.LocalNodeId) requester = _localCertificate;
        var bucket = new ValueList<Opaque>(context.Message.Security.Certificates.Select(c => c.Certificate).ToArray());
        if (context.SignerCertificate is { } signer) Learn(signer);
        var storageRequest = new StorageRequest(requester, requesterNodeId, bucket, context.Scheduler.Now, context.LocalNodeId);
        var answer = Engine.Handle(request, storageRequest);
        if (request is StoreReq { ReplicaNumber: 0 } store && answer is StoreAns && context.IsResponsible)
            Replicate(store.Resource, context);
        return answer;
    }

    /// <summary>§10.4: the responsible peer stores each value on its two successors too.</summary>
    private void Replicate(Opaque resourceId, RequestContext context)
    {
        var just = new RingRange(RingId.From(resourceId).Add(UInt128.MaxValue).ToOpaque(), resourceId);
        byte number = 1;
        foreach (var successor in context.Successors.Where(s => s != context.LocalNodeId).Distinct().Take(2))
        {
            foreach (var replica in Engine.Export(just, context.Scheduler.Now, number))
            {
                // The successor verifies each value's signature (§7.1) and may never have met its signer: give it the certificates.
                var certificates = SignerCertificates(replica);
                if (certificates.Count > 0 && context.SendRequestWithCertificates is { } send) send(successor, replica, certificates);
                else context.SendRequest(successor, replica);
            }
            number++;
        }
    }

    /// <summary>The certificates (DER) of the signers of a Store's values that this peer knows.</summary>
    private IReadOnlyList<Opaque> SignerCertificates(MessageBody body)
    {
        if (body is not StoreReq store) return [];
        var found = new List<Opaque>();
        lock (_known)
        {
            foreach (var value in store.KindData.SelectMany(k => k.Values))
                if (value.Signature is { } signature && Security.CertificateStore.Find(signature.Identity, _known.All, out _) is { } certificate
                    && !found.Any(f => f.Span.SequenceEqual(certificate.Der)))
                    found.Add(certificate.Der);
        }
        return found;
    }

    /// <summary>
    /// Remembers a certificate seen on a link or as a signer (§8: certificates may come from outside
    /// the message), so the StoredData signatures of replica and handover Stores, whose buckets carry
    /// only the replicating peer's certificate, can be verified (§7.1, §10.4). Bounded.
    /// </summary>
    public void Learn(Security.ReloadCertificate certificate)
    {
        lock (_known)
            if (_known.Count < MaxKnownCertificates) _known.Add(certificate);
    }

    public IEnumerable<MessageBody> HandoverRequests(ResourceRange range) =>
        Engine.Export(ToRingRange(range), Scheduler.Now, replicaNumber: 1);

    public void ResponsibilityChanged(ResourceRange responsible, ResourceRange replicaRange)
    {
        _responsibility.Update(responsible, null, null);
        // §10.7.3: values outside this peer's range and its predecessors' are no longer its to keep.
        if (replicaRange.From != replicaRange.To)
            Engine.Drop(new RingRange(replicaRange.To.ToOpaque(), replicaRange.From.ToOpaque()));
    }

    public int ResourceCount => Engine.Usage.Resources;

    public KindRegistry Kinds => Engine.Registry;

    internal static RingRange ToRingRange(ResourceRange range) => new(range.From.ToOpaque(), range.To.ToOpaque());
}
