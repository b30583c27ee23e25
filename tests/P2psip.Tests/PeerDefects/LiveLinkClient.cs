using P2psip.Links;
using P2psip.Links.Dtls;
using P2psip.Messages;
using P2psip.Messages.Security;
using P2psip.Peer.Live;
using P2psip.Peer.Transport;
using P2psip.Security;
using P2psip.Wire;

namespace P2psip.Tests.PeerDefects;

/// <summary>
/// A test's own link to a running <see cref="P2psip.Peer.Live.LivePeer"/> (TLS, DTLS or plaintext):
/// it sends whatever messages the test builds, signed by the client's identity, and keeps every
/// message that comes back, so a test can wait for the answer to one transaction id.
/// </summary>
internal sealed class LiveLinkClient : IAsyncDisposable
{
    private readonly IOverlayLink _link;
    private readonly List<ReloadMessage> _received = [];
    private readonly Task _reader;

    private LiveLinkClient(IOverlayLink link, Identity identity, P2psip.Peer.Live.LivePeer peer, bool namesItself)
    {
        _link = link;
        Identity = identity;
        Peer = peer;
        NamesItself = namesItself;
        _reader = Task.Run(ReadLoop);
    }

    public Identity Identity { get; }
    public P2psip.Peer.Live.LivePeer Peer { get; }

    /// <summary>Plaintext links prove no Node-ID: the client names itself first in the Via List.</summary>
    public bool NamesItself { get; }

    public static async Task<LiveLinkClient> ConnectAsync(P2psip.Peer.Live.LivePeer peer, Identity identity)
    {
        var endpoint = peer.Address.ToEndPoint()!;
        var security = new LinkSecurity(identity, P2psip.Peer.Live.LivePeer.ValidatorFor(peer.Options.Configuration));
        IOverlayLink link = peer.Options.Transport switch
        {
            LinkTransport.Dtls => await DtlsLinks.ConnectAsync(endpoint, security, expectedNodeId: peer.NodeId),
            LinkTransport.InsecureTcp => await PlaintextLinks.ConnectInsecureAsync(endpoint, framed: true),
            _ => await TlsLinks.ConnectAsync(endpoint, security, expectedNodeId: peer.NodeId),
        };
        return new LiveLinkClient(link, identity, peer, peer.Options.Transport == LinkTransport.InsecureTcp);
    }

    private async Task ReadLoop()
    {
        try
        {
            while (await _link.ReceiveAsync() is { } bytes)
            {
                var decoded = ReloadCodec.DecodeCopy(bytes.Span);
                if (decoded.IsSuccess) lock (_received) _received.Add(decoded.Value);
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException or LinkFailedException) { }
    }

    /// <summary>A request to <paramref name="destination"/>, with extra certificates in its bucket, signed by this client.</summary>
    public ReloadMessage Request(ulong transactionId, Destination destination, MessageBody body, params Opaque[] extraCertificates)
    {
        var header = new ForwardingHeader
        {
            Overlay = MessageTransport.OverlayHash(Peer.Options.Configuration.InstanceName),
            ConfigurationSequence = (ushort)(Peer.Options.Configuration.Sequence ?? 0),
            Ttl = 100,
            TransactionId = transactionId,
            DestinationList = [destination],
            ViaList = NamesItself ? [new NodeDestination(Identity.NodeId)] : ValueList<Destination>.Empty,
        };
        var security = new SecurityBlock(new ValueList<GenericCertificate>(extraCertificates.Select(GenericCertificate.OfX509).ToArray()), Signature.Unsigned);
        return MessageSigner.Sign(new ReloadMessage(header, new MessageContents(body), security), Identity);
    }

    public Task SendAsync(ReloadMessage message) => _link.SendAsync(ReloadCodec.Encode(message));

    /// <summary>Sends a request to the peer and waits for the answer with its transaction id.</summary>
    public async Task<ReloadMessage> AskAsync(ulong transactionId, MessageBody body, params Opaque[] extraCertificates)
    {
        await SendAsync(Request(transactionId, new NodeDestination(Peer.NodeId), body, extraCertificates));
        return await WaitForAsync(m => m.Header.TransactionId == transactionId && !MessageCodes.IsRequest(m.MessageCode), TimeSpan.FromSeconds(20))
            ?? throw new Xunit.Sdk.XunitException($"no answer to transaction {transactionId}");
    }

    /// <summary>The first received message matching <paramref name="match"/>, waiting up to <paramref name="timeout"/>; null if none came.</summary>
    public async Task<ReloadMessage?> WaitForAsync(Func<ReloadMessage, bool> match, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            lock (_received)
                if (_received.FirstOrDefault(match) is { } found) return found;
            if (DateTime.UtcNow > deadline) return null;
            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _link.DisposeAsync();
        try { await _reader.WaitAsync(TimeSpan.FromSeconds(5)); }
        catch (TimeoutException) { }
    }
}
