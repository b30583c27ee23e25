using P2psip.Messages;
using P2psip.Peer.Chord;
using P2psip.Security;
using P2psip.Wire;

namespace P2psip.Peer.Transport;

/// <summary>A refusal by one admission step: why, and the error to answer with (null: drop silently).</summary>
internal sealed record Refusal(AdmissionStep Step, string Reason, ushort? ErrorCode = null);

/// <summary>
/// The transport's checks, one method per <see cref="AdmissionStep"/>, each behind its defence
/// switch: null when the message passes, else the <see cref="Refusal"/>. The caller records the
/// refusal and acts on it; the checks themselves send nothing. Under the peer's lock.
/// </summary>
internal sealed class AdmissionChecks(PeerOptions options, uint overlayHash, IOverlayRouting routing, RingId self)
{
    private readonly Dictionary<RingId, LinkRateLimit> _buckets = [];
    private readonly RecentRequests _recent = new(options.RecentRequestCapacity, options.RequestLifetime);
    private DefenceSwitches Defences => options.Defences;

    public int RecentRequestCount => _recent.Count;

    // ---------------------------------------------------------------- receive (§6.1, §6.3.2)

    /// <summary>§6.6: a message above max-message-size gets Error_Message_Too_Large (and its link is closed).</summary>
    public Refusal? MessageSize(int length) =>
        Defences.IsOn(DefenceSwitches.Quotas) && length > options.Configuration.MaxMessageSize
            ? new(AdmissionStep.MessageSize, $"{length} bytes is more than max-message-size {options.Configuration.MaxMessageSize}", ErrorCodes.MessageTooLarge)
            : null;

    /// <summary>§6.3.2: messages for another overlay are discarded.</summary>
    public Refusal? Overlay(ForwardingHeader header) =>
        header.Overlay != overlayHash ? new(AdmissionStep.OtherOverlay, $"overlay 0x{header.Overlay:x8}, not 0x{overlayHash:x8}") : null;

    /// <summary>§6.7: this peer does not reassemble fragments.</summary>
    public Refusal? Fragment(ForwardingHeader header) =>
        !header.IsLastFragment || header.FragmentOffset != 0 ? new(AdmissionStep.Fragment, $"fragment at offset {header.FragmentOffset}") : null;

    /// <summary>§10.7.2 (UN-5): Join, Leave and Update spend a token of the sending Node-ID's bucket (one per Node-ID, not per link).</summary>
    public Refusal? RateLimit(IPeerLink link, ushort code)
    {
        if (!Defences.IsOn(DefenceSwitches.RateLimits) || code is not (MessageCodes.JoinReq or MessageCodes.LeaveReq or MessageCodes.UpdateReq)) return null;
        var now = options.Scheduler.Now;
        var from = RingId.From(link.RemoteNodeId);
        if (!_buckets.TryGetValue(from, out var bucket))
        {
            if (_buckets.Count >= options.MaxLinks) _buckets.Clear(); // only linked Node-IDs have one; bounded anyway
            _buckets[from] = bucket = new LinkRateLimit(now, options.TopologyRequestsPerSecond, options.TopologyRequestBurst);
        }
        return bucket.TryTake(now) ? null : new(AdmissionStep.RateLimit, $"the bucket of {link.RemoteNodeId.ToHex()} is empty ({bucket.PerSecond}/s, burst {bucket.Burst})");
    }

    /// <summary>The Node-ID's link went away: its bucket goes too (a new link starts a new one only after that).</summary>
    public void Forget(RingId id) => _buckets.Remove(id);

    /// <summary>§6.3.2 ttl: a TTL above initial-ttl is refused with Error_TTL_Exceeded.</summary>
    public Refusal? TtlCeiling(ForwardingHeader header) =>
        Defences.IsOn(DefenceSwitches.Ttl) && header.Ttl > options.Configuration.InitialTtl
            ? new(AdmissionStep.TtlCeiling, $"ttl {header.Ttl} is above initial-ttl {options.Configuration.InitialTtl}", ErrorCodes.TtlExceeded)
            : null;

    /// <summary>
    /// §13.6.5: "implementations SHOULD check the Destination List for duplicate entries and discard
    /// such records with an Error_Invalid_Message error" (source-routed loops).
    /// </summary>
    public static Refusal? DuplicateDestination(ForwardingHeader header)
    {
        // Lists are short: comparing each entry with the earlier ones allocates nothing (this runs for every message).
        var list = header.DestinationList.AsSpan();
        for (int i = 1; i < list.Length; i++)
            for (int j = 0; j < i; j++)
                if (list[i].Equals(list[j]))
                    return new(AdmissionStep.DuplicateDestination, $"the Destination List names {list[i]} twice", ErrorCodes.InvalidMessage);
        return null;
    }

    private static bool HasX509(ValueList<Messages.Security.GenericCertificate> bucket)
    {
        foreach (var c in bucket.AsSpan())
            if (c.Type == Messages.Security.GenericCertificate.X509) return true;
        return false;
    }

    // ---------------------------------------------------------------- forwarding (§6.1.2)

    /// <summary>§6.3.2: a TTL of 0 on a message not for us is not propagated.</summary>
    public Refusal? TtlExpired(ForwardingHeader header) =>
        Defences.IsOn(DefenceSwitches.Ttl) && header.Ttl == 0 ? new(AdmissionStep.TtlExpired, "ttl reached 0", ErrorCodes.TtlExceeded) : null;

    /// <summary>§6.3.2.3: an unknown option marked FORWARD_CRITICAL must be understood by every forwarder.</summary>
    public Refusal? ForwardCritical(ForwardingHeader header) =>
        Defences.IsOn(DefenceSwitches.CriticalOptions) && header.Options.Count > 0 && header.Options.Any(o => o.IsForwardCritical)
            ? new(AdmissionStep.ForwardCritical, "a FORWARD_CRITICAL option this peer does not support", ErrorCodes.UnsupportedForwardingOption)
            : null;

    // ---------------------------------------------------------------- delivery (§6.3.4, §6.2.1, §6.3.2.1)

    /// <summary>
    /// §6.3.4: the destination verifies the signature (with the overlay's validator) and drops what
    /// fails; §13.6.3: for a request, the signer must own the Node-ID it comes from. Skipped for
    /// messages this peer sent itself and with message-signatures off (<paramref name="signature"/> null).
    /// </summary>
    public Refusal? Signature(ReloadMessage message, IPeerLink? from, IReadOnlyList<Opaque>? origin, out SignatureCheck? signature)
    {
        signature = null;
        if (from is null) return null;
        if (!Defences.IsOn(DefenceSwitches.MessageSignatures))
        {
            // The vulnerable variant still reads whom the message claims to be from (the storage's access
            // control needs a signer), but takes the claim unverified: a forged or altered message passes.
            // Without a certificate in the bucket (and no store here) there is no claim to read.
            if (!HasX509(message.Security.Certificates)) return null;
            var claimed = MessageSigner.Verify(message, null, null);
            if (claimed.Certificate is { } certificate)
                signature = new SignatureCheck(certificate, claimed.Valid ? claimed.SignerNodeId : certificate.NodeIds.FirstOrDefault(), null);
            return null;
        }
        signature = MessageSigner.Verify(message, null, options.Validator);
        if (!signature.Valid) return new(AdmissionStep.Signature, signature.Failure ?? "the signature does not verify");
        if (origin is { Count: > 0 } via && Defences.IsOn(DefenceSwitches.CertificateNodeId) && signature.Certificate is { } cert && !cert.NodeIds.Contains(via[0]))
            return new(AdmissionStep.SignerOrigin, $"signed by a certificate without Node-ID {via[0].ToHex()}");
        return null;
    }

    /// <summary>
    /// §6.2.1 / UN-3: a transaction id seen within the request lifetime is not executed again; its
    /// answer, when there is one, is repeated only to the signer of the first request (a node reusing
    /// another's id is not retransmitting). After the signature check, so a forgery gets nothing.
    /// </summary>
    public Refusal? Replay(ulong transactionId, SignatureCheck? signature, out ReloadMessage? repeatAnswer)
    {
        repeatAnswer = null;
        if (!Defences.IsOn(DefenceSwitches.TransactionReplay)) return null;
        var now = options.Scheduler.Now;
        var signer = signature?.SignerNodeId ?? Opaque.Empty;
        if (_recent.TryGet(transactionId, now, out var earlier, out var firstSigner))
        {
            bool sameSigner = firstSigner == signer;
            if (sameSigner) repeatAnswer = earlier;
            return new(AdmissionStep.Replay, sameSigner ? "a retransmission, answered as before" : $"transaction id first used by {firstSigner.ToHex()}, now by {signer.ToHex()}");
        }
        _recent.Begin(transactionId, now, signer);
        return null;
    }

    /// <summary>Remembers the answer to a request, for its retransmissions (§6.2.1).</summary>
    public void Answered(ulong transactionId, ReloadMessage response)
    {
        if (Defences.IsOn(DefenceSwitches.TransactionReplay)) _recent.Answer(transactionId, response);
    }

    /// <summary>§6.3.2.3: an unknown option marked DESTINATION_CRITICAL makes the destination refuse the request.</summary>
    public Refusal? DestinationCritical(ForwardingHeader header) =>
        Defences.IsOn(DefenceSwitches.CriticalOptions) && header.Options.Count > 0 && header.Options.Any(o => o.IsDestinationCritical)
            ? new(AdmissionStep.DestinationCritical, "a DESTINATION_CRITICAL option this peer does not support", ErrorCodes.UnsupportedForwardingOption)
            : null;

    /// <summary>§6.3.3: an unknown extension marked critical gets Error_Unknown_Extension.</summary>
    public Refusal? CriticalExtension(MessageContents contents) =>
        Defences.IsOn(DefenceSwitches.CriticalOptions) && contents.Extensions.Count > 0 && contents.Extensions.Any(e => e.Critical)
            ? new(AdmissionStep.CriticalExtension, "a critical extension this peer does not support", ErrorCodes.UnknownExtension)
            : null;

    /// <summary>§6.3.2.1: configuration_sequence must equal ours; a ConfigUpdate with 65535 is always accepted.</summary>
    public Refusal? ConfigSequence(ReloadMessage message)
    {
        var header = message.Header;
        if (!Defences.IsOn(DefenceSwitches.ConfigSequence) || header.ConfigurationSequence == options.ConfigurationSequence
            || (header.ConfigurationSequence == 0xFFFF && message.MessageCode == MessageCodes.ConfigUpdateReq))
            return null;
        short delta = unchecked((short)(header.ConfigurationSequence - options.ConfigurationSequence));
        return new(AdmissionStep.ConfigSequence, $"configuration_sequence {header.ConfigurationSequence}, this peer has {options.ConfigurationSequence}",
            delta < 0 ? ErrorCodes.ConfigTooOld : ErrorCodes.ConfigTooNew);
    }

    /// <summary>Errors an intermediate peer may legitimately send back, exempt from the response-origin check (§6.3.2, §6.3.2.3, §6.1).</summary>
    private static readonly HashSet<ushort> ForwarderErrors =
    [
        ErrorCodes.TtlExceeded, ErrorCodes.UnsupportedForwardingOption, ErrorCodes.InvalidMessage,
        ErrorCodes.IncompatibleWithOverlay, ErrorCodes.MessageTooLarge,
    ];

    /// <summary>
    /// §6.3.4 (UN-1c): an answer to a Node-ID must come from that Node-ID (unless it was the
    /// wildcard); an answer to a Resource-ID from a node at least as close to it as any in our
    /// Neighbor Table. Errors a forwarder may send are exempt.
    /// </summary>
    public Refusal? ResponseOrigin(Destination target, ReloadMessage response, Opaque responder, IPeerLink? from)
    {
        if (from is null || !Defences.IsOn(DefenceSwitches.ResponseOrigin)) return null;
        if (response.Body is ErrorResponse e && ForwarderErrors.Contains(e.ErrorCode)) return null;
        return FromRightNode(target, responder) ? null : new(AdmissionStep.ResponseOrigin, $"answered by {responder.ToHex()}; keep waiting for the true answer");
    }

    private bool FromRightNode(Destination target, Opaque responder)
    {
        switch (target)
        {
            case NodeDestination node:
                return node.NodeId.Span.IndexOfAnyExcept((byte)0xFF) < 0 || node.NodeId == responder;
            case ResourceDestination resource:
            {
                var k = RingId.From(resource.ResourceId);
                var distance = k.DistanceTo(RingId.From(responder));
                // "Close" in Chord: the responsible peer is the first at or after k.
                foreach (var n in routing.Neighbors.Append(self))
                    if (k.DistanceTo(n) < distance) return false;
                return true;
            }
            default:
                return true;
        }
    }
}
