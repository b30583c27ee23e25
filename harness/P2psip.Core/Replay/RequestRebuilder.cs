using P2psip.Adversary;
using P2psip.Messages;
using P2psip.Messages.Security;
using P2psip.Messages.Storage;
using P2psip.Security;
using P2psip.Wire;

namespace P2psip.Replay;

/// <summary>
/// Rebuilds a captured request for the replay's target, changing only what <see cref="ReplayRewrites"/>
/// names: the transaction id (a fresh one from the seeded source, §6.3.2), the overlay hash and
/// configuration sequence, Node destinations that named a captured responder (they name the target),
/// and the signatures — the message's (§6.3.4) and those of the StoredData its sender signed (§7.1) —
/// made by the replay identity that stands in for the captured signer.
/// </summary>
public sealed class RequestRebuilder(
    ReplayRewrites rewrites,
    uint overlayHash,
    ushort configurationSequence,
    Opaque targetNodeId,
    IReadOnlySet<Opaque> responderNodeIds,
    Func<ulong> newTransactionId,
    bool targetIsSecure)
{
    public ReplayRewrites Rewrites => rewrites;

    /// <param name="signer">The replay identity for the captured signer; null when the request is sent as captured.</param>
    /// <param name="capturedSigner">The captured signer's certificate (to find the StoredData it signed).</param>
    public ReloadMessage Rebuild(ReloadMessage captured, Identity? signer, ReloadCertificate? capturedSigner)
    {
        var header = captured.Header;
        if (rewrites.HasFlag(ReplayRewrites.TransactionId)) header = header with { TransactionId = newTransactionId() };
        if (rewrites.HasFlag(ReplayRewrites.Overlay)) header = header with { Overlay = overlayHash, ConfigurationSequence = configurationSequence };
        if (rewrites.HasFlag(ReplayRewrites.Destination))
        {
            header = header with
            {
                DestinationList = [.. header.DestinationList.Select(d =>
                    d is NodeDestination node && responderNodeIds.Contains(node.NodeId) ? new NodeDestination(targetNodeId) : d)],
            };
        }
        var body = captured.Body;
        bool resign = rewrites.HasFlag(ReplayRewrites.Signature) && signer is not null;
        if (resign)
        {
            // On plaintext links the sender names itself in the Via List (no certificate says who it is).
            header = header with { ViaList = targetIsSecure ? ValueList<Destination>.Empty : [new NodeDestination(signer!.NodeId)] };
            if (body is StoreReq store && capturedSigner is not null) body = Resign(store, signer!, capturedSigner);
        }
        var message = new ReloadMessage(header, captured.Contents with { Body = body }, resign ? SecurityBlock.Unsigned : captured.Security);
        return resign ? MessageSigner.Sign(message, signer!) : message;
    }

    /// <summary>The StoredData signed by the captured signer, signed again by its stand-in; others stay as captured.</summary>
    private static StoreReq Resign(StoreReq store, Identity signer, ReloadCertificate capturedSigner) => store with
    {
        KindData = [.. store.KindData.Select(kind => kind with
        {
            Values = [.. kind.Values.Select(value =>
                value.Signature is { } s && SignedBy(s, capturedSigner) ? MessageSigner.SignStoredData(signer, store.Resource, kind.Kind, value) : value)],
        })],
    };

    private static bool SignedBy(Signature signature, ReloadCertificate certificate) => signature.Identity.IdentityType switch
    {
        SignerIdentity.CertHash => signature.Identity.Hash.Span.SequenceEqual(certificate.Hash),
        SignerIdentity.CertHashNodeId => certificate.NodeIds.Any(id => signature.Identity.Hash.Span.SequenceEqual(MessageSigner.NodeIdHash(id.Span, certificate.Der))),
        _ => false,
    };
}
