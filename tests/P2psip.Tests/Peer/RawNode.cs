using P2psip.Messages;
using P2psip.Peer;
using P2psip.Peer.Simulation;
using P2psip.Peer.Transport;
using P2psip.Security;
using P2psip.Wire;

namespace P2psip.Tests.Peer;

/// <summary>
/// A test's hand on the wire: an in-memory node that links to a reference peer and sends whatever
/// bytes the test builds (well-formed, wrong or junk), collecting what comes back.
/// </summary>
internal sealed class RawNode
{
    private readonly SimulatedRing _ring;
    private IPeerLink? _link;

    public RawNode(SimulatedRing ring, Opaque nodeId, Identity? identity = null)
    {
        _ring = ring;
        NodeId = nodeId;
        Identity = identity;
        Layer = ring.Network.Attach(nodeId, identity?.Certificate);
        Layer.Listen(link => link.Start(OnReceived, _ => { }));
    }

    public Opaque NodeId { get; }
    public Identity? Identity { get; }
    public P2psip.Peer.InMemory.InMemoryLinkLayer Layer { get; }
    public List<ReloadMessage> Received { get; } = [];
    public int ReceivedCount { get; private set; }

    /// <summary>Keep received messages (off for floods).</summary>
    public bool Keep { get; set; } = true;

    public void ConnectTo(ReferencePeer peer)
    {
        Layer.Connect(peer.Address, peer.NodeId, (link, why) =>
        {
            Assert.True(link is not null, why);
            _link = link;
            link!.Start(OnReceived, _ => { });
        });
        _ring.RunFor(TimeSpan.FromMilliseconds(50));
        Assert.NotNull(_link);
    }

    private void OnReceived(IPeerLink link, ReadOnlyMemory<byte> bytes)
    {
        ReceivedCount++;
        if (!Keep) return;
        var decoded = ReloadCodec.DecodeCopy(bytes.Span);
        if (decoded.IsSuccess) Received.Add(decoded.Value);
    }

    public void SendBytes(ReadOnlyMemory<byte> bytes) => _link!.Send(bytes);

    /// <summary>Closes this node's link (the peer sees it lost).</summary>
    public void Close() => _link?.Close();

    public void Send(ReloadMessage message) => SendBytes(ReloadCodec.Encode(Identity is null ? message : MessageSigner.Sign(message, Identity)));

    public ReloadMessage Request(ulong transactionId, Destination destination, MessageBody body, byte ttl = 100, ushort configurationSequence = 0) =>
        new(new ForwardingHeader
        {
            Overlay = MessageTransport.OverlayHash(_ring.Configuration.InstanceName),
            ConfigurationSequence = configurationSequence,
            Ttl = ttl,
            TransactionId = transactionId,
            DestinationList = [destination],
        }, body);

    /// <summary>The answer received with that transaction id, if any.</summary>
    public ReloadMessage? AnswerTo(ulong transactionId) =>
        Received.LastOrDefault(m => m.Header.TransactionId == transactionId && !MessageCodes.IsRequest(m.MessageCode));
}
