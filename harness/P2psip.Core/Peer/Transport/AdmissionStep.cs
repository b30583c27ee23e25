namespace P2psip.Peer.Transport;

/// <summary>
/// One named step of the transport's receive, forward and delivery path: a check a message must
/// pass (most of them one defence of <see cref="DefenceSwitches"/>), or a reason a message goes no
/// further (routing, undecodable bytes, link-table decisions). Each refusal is recorded as an
/// <see cref="Observation"/> naming its step, so tests and the self-test read what happened
/// instead of parsing free text. <see cref="Name"/> is also the key of <see cref="MessageTransport.Drops"/>.
/// </summary>
public sealed record AdmissionStep(string Name, string? Defence, string Rfc, string Description)
{
    // ---- receive (§6.1, §6.3.2)
    public static readonly AdmissionStep Undecodable = new("undecodable", null, "6.1", "bytes that are not a RELOAD message, dropped silently");
    public static readonly AdmissionStep InvalidRequest = new("invalid request", null, "6.3.3.1", "a request whose header reads but whose rest does not, answered with Error_Invalid_Message");
    public static readonly AdmissionStep NotProcessable = new("could not process", null, "6.1", "a message decoded but could not be handled (e.g. not re-encodable), dropped");
    public static readonly AdmissionStep MessageSize = new("message too large", DefenceSwitches.Quotas, "6.6", "above max-message-size: Error_Message_Too_Large and the link is closed");
    public static readonly AdmissionStep OtherOverlay = new("other overlay", null, "6.3.2", "the overlay field is not this overlay's hash");
    public static readonly AdmissionStep Fragment = new("fragment", null, "6.7", "a fragment; this peer does not reassemble");
    public static readonly AdmissionStep RateLimit = new("rate limited", DefenceSwitches.RateLimits, "10.7.2", "a Join, Leave or Update beyond the sending Node-ID's token bucket");
    public static readonly AdmissionStep TtlCeiling = new("ttl above initial-ttl", DefenceSwitches.Ttl, "6.3.2", "a TTL above initial-ttl: Error_TTL_Exceeded");
    public static readonly AdmissionStep DuplicateDestination = new("duplicate destination", null, "13.6.5", "a Destination List naming one destination twice (a routing loop): Error_Invalid_Message");

    // ---- forwarding (§6.1.2)
    public static readonly AdmissionStep TtlExpired = new("ttl expired", DefenceSwitches.Ttl, "6.3.2", "a TTL of 0 on a message to forward: Error_TTL_Exceeded");
    public static readonly AdmissionStep ForwardCritical = new("forward-critical option", DefenceSwitches.CriticalOptions, "6.3.2.3", "an unknown FORWARD_CRITICAL option: Error_Unsupported_Forwarding_Option");

    // ---- delivery to this peer (§6.3.4, §6.2.1)
    public static readonly AdmissionStep Signature = new("bad signature", DefenceSwitches.MessageSignatures, "6.3.4", "the message signature does not verify with an acceptable certificate");
    public static readonly AdmissionStep SignerOrigin = new("signer is not the origin", DefenceSwitches.CertificateNodeId, "13.6.3", "the signer's certificate does not carry the Node-ID the request comes from");
    public static readonly AdmissionStep Replay = new("repeated transaction", DefenceSwitches.TransactionReplay, "6.2.1", "a transaction id seen within the request lifetime: answered from memory (to its signer only), not executed again");
    public static readonly AdmissionStep DestinationCritical = new("destination-critical option", DefenceSwitches.CriticalOptions, "6.3.2.3", "an unknown DESTINATION_CRITICAL option: Error_Unsupported_Forwarding_Option");
    public static readonly AdmissionStep CriticalExtension = new("critical extension", DefenceSwitches.CriticalOptions, "6.3.3", "an unknown critical extension: Error_Unknown_Extension");
    public static readonly AdmissionStep ConfigSequence = new("configuration sequence", DefenceSwitches.ConfigSequence, "6.3.2.1", "another configuration_sequence: Error_Config_Too_Old (and a ConfigUpdate) or Error_Config_Too_New");
    public static readonly AdmissionStep ResponseOrigin = new("response from wrong node", DefenceSwitches.ResponseOrigin, "6.3.4", "an answer from a node that is not the destination (or not as close to the Resource-ID as a neighbour)");
    public static readonly AdmissionStep NoTransaction = new("no such transaction", null, "6.3.2", "an answer to no request this peer is waiting for");
    public static readonly AdmissionStep ResponseTooLarge = new("response too large", null, "6.3.2", "the answer exceeds max_response_length: Error_Response_Too_Large instead");

    // ---- routing (§6.1.1)
    public static readonly AdmissionStep EmptyDestinations = new("empty destination list", null, "6.1.1", "no destination left");
    public static readonly AdmissionStep NoSuchNode = new("no such node", null, "6.1.1", "a Node-ID this peer is responsible for, not connected: dropped");
    public static readonly AdmissionStep NoRoute = new("no route", null, "6.1.1", "the overlay routing has no next hop");
    public static readonly AdmissionStep ResourceNotLast = new("resource not last", null, "6.1.1", "a Resource-ID that is not the last destination");
    public static readonly AdmissionStep OpaqueDestination = new("opaque destination", null, "6.1.3", "a compressed destination this peer never issued");
    public static readonly AdmissionStep NextHopGone = new("next hop not connected", null, "6.1.2", "the chosen next hop has no open link");

    // ---- the link table (UN-5)
    public static readonly AdmissionStep LinkTableFull = new("link table full", null, "6.6", "a link beyond MaxLinks, closed");
    public static readonly AdmissionStep RepeatedLink = new("repeated link", null, "6.6", "a second link to a linked Node-ID that lost the tie-break, closed");
    public static readonly AdmissionStep ReplacedLink = new("replaced link", null, "6.6", "an older link to a Node-ID replaced by a newer one from the same side, closed");

    /// <summary>Every step, in the order of the path.</summary>
    public static IReadOnlyList<AdmissionStep> All { get; } =
    [
        Undecodable, InvalidRequest, NotProcessable, MessageSize, OtherOverlay, Fragment, RateLimit, TtlCeiling, DuplicateDestination,
        TtlExpired, ForwardCritical,
        Signature, SignerOrigin, Replay, DestinationCritical, CriticalExtension, ConfigSequence, ResponseOrigin, NoTransaction, ResponseTooLarge,
        EmptyDestinations, NoSuchNode, NoRoute, ResourceNotLast, OpaqueDestination, NextHopGone,
        LinkTableFull, RepeatedLink, ReplacedLink,
    ];

    public override string ToString() => Defence is null ? Name : $"{Name} ({Defence}, §{Rfc})";
}
