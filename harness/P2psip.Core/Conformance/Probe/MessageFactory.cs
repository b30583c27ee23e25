using P2psip.Messages;
using P2psip.Peer.Transport;
using P2psip.Security;
using P2psip.Wire;

namespace P2psip.Conformance.Probe;

/// <summary>
/// Builds the harness's requests to the SUT: this overlay's hash and configuration sequence
/// (§6.3.2), TTL initial-ttl, a transaction id from the given random source, the SUT as the
/// destination unless told otherwise, signed by the sender (§6.3.4). On plaintext links the sender
/// names itself in the Via List, since no certificate says who it is. Answers to the SUT's requests
/// go back along the request's Via List and its previous hop, reversed (§6.2.2).
/// </summary>
public sealed class MessageFactory(CertificationLab lab, SutEndpoint sut, Random random)
{
    public uint OverlayHash { get; } = MessageTransport.OverlayHash(lab.OverlayName);
    public ushort ConfigurationSequence => (ushort)(lab.Configuration.Sequence ?? 0);

    public ulong NewTransactionId()
    {
        lock (random) return (ulong)random.NextInt64(1, long.MaxValue) ^ ((ulong)random.Next(0, 2) << 63);
    }

    public ForwardingHeader Header(Identity sender, Destination? destination = null) => new()
    {
        Overlay = OverlayHash,
        ConfigurationSequence = ConfigurationSequence,
        Ttl = (byte)Math.Min(255, lab.Configuration.InitialTtl),
        TransactionId = NewTransactionId(),
        DestinationList = [destination ?? new NodeDestination(sut.NodeId ?? Opaque.Empty)],
        ViaList = sut.Transport.IsSecure() ? ValueList<Destination>.Empty : [new NodeDestination(sender.NodeId)],
    };

    public ReloadMessage Request(MessageBody body, Identity sender, Destination? destination = null,
        Func<ForwardingHeader, ForwardingHeader>? header = null, bool sign = true)
    {
        var h = Header(sender, destination);
        if (header is not null) h = header(h);
        var message = new ReloadMessage(h, body);
        return sign ? MessageSigner.Sign(message, sender) : message;
    }

    /// <summary>
    /// An answer from <paramref name="sender"/> to a request that came over a link from
    /// <paramref name="previousHop"/>: same transaction id, Destination List the Via List with the
    /// previous hop, reversed (§6.2.2), signed (§6.3.4).
    /// </summary>
    public ReloadMessage Answer(ReloadMessage request, Opaque previousHop, MessageBody body, Identity sender)
    {
        var via = Router.WithPreviousHop(request.Header.ViaList, previousHop);
        var back = new Destination[via.Count];
        for (int i = 0; i < back.Length; i++) back[i] = new NodeDestination(via[via.Count - 1 - i]);
        // Not Header(): that would take a transaction id from the random source and shift the requests' ids.
        var header = new ForwardingHeader
        {
            Overlay = OverlayHash,
            ConfigurationSequence = ConfigurationSequence,
            Ttl = (byte)Math.Min(255, lab.Configuration.InitialTtl),
            TransactionId = request.Header.TransactionId,
            DestinationList = new ValueList<Destination>(back),
        };
        return MessageSigner.Sign(new ReloadMessage(header, body), sender);
    }
}
