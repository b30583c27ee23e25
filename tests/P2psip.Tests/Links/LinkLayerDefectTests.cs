using System.Net;
using System.Net.Sockets;
using P2psip.Links;
using P2psip.Links.Dtls;
using P2psip.Links.PeerLinks;
using P2psip.Peer;
using P2psip.Security;
using P2psip.Tests.Security;
using P2psip.Wire;

namespace P2psip.Tests.Links;

/// <summary>Defects 3 and 4 of issue 11: a stalled handshake blocking accepts, and link failures that leave a dead link "open".</summary>
[Trait("Category", TestCategory.Live)]
public class LinkLayerDefectTests
{
    private static readonly TestPki Pki = TestPki.Shared;
    private static readonly DtlsLinkOptions Fast = DtlsLinkTests.Fast;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private static LinkSecurity As(Identity who) => new(who, Pki.Validator);

    [Fact]
    public async Task A_TCP_connection_that_never_speaks_TLS_does_not_stop_the_next_client_being_accepted()
    {
        var layer = new TlsPeerLinkLayer(new IPEndPoint(IPAddress.Loopback, 0), As(Pki.Bob));
        try
        {
            var accepted = new TaskCompletionSource<IPeerLink>(TaskCreationOptions.RunContinuationsAsynchronously);
            layer.Listen(link => accepted.TrySetResult(link));
            var endpoint = layer.LocalAddress.ToEndPoint()!;
            // Connected first, so it is accepted first; it sends no ClientHello, ever.
            using var silent = new TcpClient();
            await silent.ConnectAsync(endpoint);
            await using var client = await TlsLinks.ConnectAsync(endpoint, As(Pki.Alice), expectedNodeId: Pki.Bob.NodeId).WaitAsync(Deadline);
            var link = await accepted.Task.WaitAsync(Deadline);
            Assert.Equal(Pki.Alice.NodeId, link.RemoteNodeId);
        }
        finally { layer.Shutdown(); }
    }

    [Fact]
    public async Task A_DTLS_neighbour_that_stops_acknowledging_is_reported_closed()
    {
        await using var listener = new DtlsLinkListener(new IPEndPoint(IPAddress.Loopback, 0), As(Pki.Bob), Fast);
        var client = await DtlsLinks.ConnectAsync(listener.LocalEndpoint, As(Pki.Alice), Pki.Bob.NodeId, Fast).WaitAsync(Deadline);
        await using var server = await listener.AcceptAsync().WaitAsync(Deadline);
        server.DatagramTap = (_, _) => null; // the neighbour is dead: nothing reaches it, nothing comes back
        var peerLink = new OverlayPeerLink(client, null);
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        peerLink.Start((_, _) => { }, _ => closed.TrySetResult());
        peerLink.Send(LinkTestMessages.Numbered(1));
        await closed.Task.WaitAsync(LinkTestMessages.Timeout); // 5 transmissions: 60+120+240+480+960 ms
        Assert.False(peerLink.IsOpen);
    }

    [Theory]
    [InlineData("send")]
    [InlineData("receive")]
    public async Task An_unexpected_exception_from_the_link_closes_it(string where)
    {
        var link = new ThrowingLink(throwOnSend: where == "send");
        var peerLink = new OverlayPeerLink(link, null);
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        peerLink.Start((_, _) => { }, _ => closed.TrySetResult());
        peerLink.Send(LinkTestMessages.Numbered(1));
        await closed.Task.WaitAsync(Deadline);
        Assert.False(peerLink.IsOpen);
        await link.Disposed.Task.WaitAsync(Deadline);
    }

    [Fact]
    public async Task What_was_queued_before_a_close_after_queued_still_reaches_the_far_end()
    {
        // The transport answers Error_Message_Too_Large and closes the link at once (§6.3.2): the
        // answer was queued first, so it must go out before the wire closes (seen as a race in PC-8-01).
        for (int round = 0; round < 20; round++)
        {
            var (a, b) = InMemoryLink.CreatePair(Pki.Alice, Pki.Bob);
            var peerLink = new OverlayPeerLink(a, null);
            peerLink.Start((_, _) => { }, _ => { });
            b.Start();
            peerLink.Send(LinkTestMessages.Numbered(round + 1));
            peerLink.CloseAfterQueued();
            Assert.False(peerLink.IsOpen);
            using var wait = new CancellationTokenSource(Deadline);
            var received = await b.ReceiveAsync(wait.Token);
            Assert.True(received is not null, $"round {round}: the link closed before the queued message went out");
            Assert.Equal((ulong)round + 1, LinkTestMessages.TransactionId(received!.Value));
            Assert.Null(await b.ReceiveAsync(wait.Token)); // and then the link closes
            await b.DisposeAsync();
        }
    }

    /// <summary>A link whose send or receive fails with an exception type no filter expects.</summary>
    private sealed class ThrowingLink(bool throwOnSend) : IOverlayLink
    {
        private readonly TaskCompletionSource<ReadOnlyMemory<byte>?> _never = new();
        public TaskCompletionSource Disposed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public string Protocol => "TEST";
        public bool IsSecure => true;
        public Opaque PeerNodeId => Opaque.Empty;
        public ReloadCertificate? PeerCertificate => null;
        public LinkTap? Tap { get; set; }
        public LinkInfo Info { get; } = new("TEST", true, LinkRole.Initiator, null, null, Opaque.Empty, Opaque.Empty, null);
        public LinkPipeline Pipeline => field ??= new LinkPipeline(() => Info, _ => default, _ => default);
        public void Start() { }

        public Task SendAsync(ReadOnlyMemory<byte> message, CancellationToken cancel = default) =>
            throwOnSend ? Task.FromException(new NotSupportedException("send blew up")) : Task.CompletedTask;

        public Task<ReadOnlyMemory<byte>?> ReceiveAsync(CancellationToken cancel = default) =>
            throwOnSend ? _never.Task.WaitAsync(cancel) : Task.FromException<ReadOnlyMemory<byte>?>(new InvalidCastException("receive blew up"));

        public ValueTask DisposeAsync()
        {
            Disposed.TrySetResult();
            return ValueTask.CompletedTask;
        }
    }
}
