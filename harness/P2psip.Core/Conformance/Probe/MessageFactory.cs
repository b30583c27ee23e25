using P2psip.Messages;
using P2psip.Peer.Transport;
using P2psip.Security;
using P2psip.Wire;

namespace P2psip.Conformance.Probe;

/// <summary>
/// Builds the harness's requests to the SUT: this overlay's hash and configuration sequence
/// (§6.3.2), TTL initial-ttl, a transaction id from the given random source, the SUT as the
/// destination unless told otherwise, signed by the sender (§6.3.4). On plaintext links the sender
/// names itself in the Via List, since no certificate says who it is.
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
}
