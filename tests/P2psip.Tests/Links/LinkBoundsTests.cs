using System.Net;
using System.Net.Sockets;
using P2psip.Framing;
using P2psip.Links;
using P2psip.Links.Dtls;
using P2psip.Tests.Security;

namespace P2psip.Tests.Links;

/// <summary>
/// Issue 11, resource bounds: one flood per bound, counting the bounded structure and the drops
/// (never GC heap deltas, never fixed sleeps).
/// </summary>
[Trait("Category", TestCategory.Live)]
public class LinkBoundsTests
{
    private static readonly TestPki Pki = TestPki.Shared;
    private static readonly DtlsLinkOptions Fast = DtlsLinkTests.Fast;
    private static LinkSecurity As(P2psip.Security.Identity who) => new(who, Pki.Validator);

    private static Task WaitUntil(Func<bool> condition) => Eventually.WaitUntil(condition, "the flood to be counted");

    [Fact]
    public async Task Frames_above_max_message_size_are_skipped_unread_and_counted_and_the_link_goes_on()
    {
        var limits = new LinkLimits { MaxMessageSize = 5000 };
        await using var listener = new TlsLinkListener(new IPEndPoint(IPAddress.Loopback, 0), As(Pki.Bob), limits);
        var accepting = listener.AcceptAsync();
        await using var harness = await TlsLinks.ConnectAsync(listener.LocalEndpoint, As(Pki.Alice));
        await using var reference = await accepting.WaitAsync(LinkTestMessages.Timeout);
        const int floods = 20;
        var big = new byte[FramedMessage.DataHeaderSize + 100_000]; // one DATA frame declaring 100,000 bytes
        big[0] = FramedMessage.DataType;
        big[5] = 100_000 >> 16; big[6] = (100_000 >> 8) & 0xFF; big[7] = 100_000 & 0xFF;
        for (int i = 0; i < floods; i++) await harness.Frames.SendRawAsync(big);
        await harness.SendAsync(LinkTestMessages.Numbered(1));
        Assert.Equal(1ul, LinkTestMessages.TransactionId((await reference.ReceiveAsync().WaitAsync(LinkTestMessages.Timeout))!.Value));
        Assert.Equal(floods, reference.Counters.OversizeFrames);
        Assert.Equal(1, reference.Counters.Received);
        await WaitUntil(() => harness.AcksReceived == 1); // the skipped frames are not acknowledged
    }

    [Fact]
    public async Task A_stream_link_inbox_holds_at_most_its_capacity_and_counts_the_rest()
    {
        var limits = new LinkLimits { InboxCapacity = 8 };
        await using var listener = new PlaintextLinkListener(new IPEndPoint(IPAddress.Loopback, 0), framed: true, limits);
        var accepting = listener.AcceptInsecureAsync();
        await using var sender = await PlaintextLinks.ConnectInsecureAsync(listener.LocalEndpoint, framed: true);
        await using var receiver = await accepting.WaitAsync(LinkTestMessages.Timeout);
        receiver.Start(); // reads, but its owner takes nothing
        for (int i = 0; i < 50; i++) await sender.SendAsync(LinkTestMessages.Numbered(i));
        await WaitUntil(() => receiver.Counters.Received == 50);
        Assert.Equal(8, receiver.InboxCount);
        Assert.Equal(42, receiver.Counters.InboxDrops);
        Assert.Equal(0ul, LinkTestMessages.TransactionId((await receiver.ReceiveAsync())!.Value)); // the first ones are kept
    }

    [Fact]
    public async Task A_DTLS_link_inbox_holds_at_most_its_capacity_and_counts_the_rest()
    {
        var options = Fast with { Limits = new LinkLimits { InboxCapacity = 8 } };
        await using var listener = new DtlsLinkListener(new IPEndPoint(IPAddress.Loopback, 0), As(Pki.Bob), options);
        await using var sender = await DtlsLinks.ConnectAsync(listener.LocalEndpoint, As(Pki.Alice), null, Fast).WaitAsync(LinkTestMessages.Timeout);
        await using var receiver = await listener.AcceptAsync().WaitAsync(LinkTestMessages.Timeout);
        receiver.Start();
        for (int i = 0; i < 50; i++) await sender.SendAsync(LinkTestMessages.Numbered(i)).WaitAsync(LinkTestMessages.Timeout);
        // Each message is received once or more (a late ACK brings a retransmission); every one beyond 8 is dropped.
        await WaitUntil(() => receiver.Counters.Received + receiver.Counters.ArrivalDrops >= 50 && receiver.InboxCount == 8);
        Assert.Equal(8, receiver.InboxCount);
        Assert.Equal(receiver.Counters.Received - 8, receiver.Counters.InboxDrops);
    }

    [Fact]
    public async Task The_DTLS_listener_keeps_at_most_its_accept_queue_of_unaccepted_links()
    {
        var options = Fast with { Limits = new LinkLimits { AcceptQueueCapacity = 2 } };
        await using var listener = new DtlsLinkListener(new IPEndPoint(IPAddress.Loopback, 0), As(Pki.Bob), options);
        var clients = new List<DtlsLink>();
        try
        {
            for (int i = 0; i < 4; i++)
                clients.Add(await DtlsLinks.ConnectAsync(listener.LocalEndpoint, As(Pki.Alice), null, Fast).WaitAsync(LinkTestMessages.Timeout));
            await WaitUntil(() => listener.Counters.AcceptQueueDrops == 2);
            Assert.Equal(2, listener.Waiting);
        }
        finally { foreach (var c in clients) await c.DisposeAsync(); }
    }

    [Fact]
    public async Task The_TLS_listener_keeps_at_most_its_accept_queue_of_unaccepted_links()
    {
        await using var listener = new TlsLinkListener(new IPEndPoint(IPAddress.Loopback, 0), As(Pki.Bob), new LinkLimits { AcceptQueueCapacity = 2 });
        var clients = new List<StreamLink>();
        try
        {
            for (int i = 0; i < 4; i++) clients.Add(await TlsLinks.ConnectAsync(listener.LocalEndpoint, As(Pki.Alice)));
            await WaitUntil(() => listener.Counters.AcceptQueueDrops == 2);
            Assert.Equal(2, listener.Waiting);
        }
        finally { foreach (var c in clients) await c.DisposeAsync(); }
    }

    [Fact]
    public async Task TLS_handshakes_beyond_the_cap_are_closed_at_once_and_a_silent_one_times_out()
    {
        var limits = new LinkLimits { MaxConcurrentHandshakes = 2, HandshakeTimeout = TimeSpan.FromSeconds(30) };
        await using var listener = new TlsLinkListener(new IPEndPoint(IPAddress.Loopback, 0), As(Pki.Bob), limits);
        var silent = new List<TcpClient>();
        try
        {
            for (int i = 0; i < 6; i++)
            {
                var tcp = new TcpClient();
                await tcp.ConnectAsync(listener.LocalEndpoint);
                silent.Add(tcp);
            }
            await WaitUntil(() => listener.Counters.HandshakesOverCap == 4);
            Assert.Equal(2, listener.Handshaking);
        }
        finally { foreach (var t in silent) t.Dispose(); }

        await using var quick = new TlsLinkListener(new IPEndPoint(IPAddress.Loopback, 0), As(Pki.Bob), new LinkLimits { HandshakeTimeout = TimeSpan.FromMilliseconds(300) });
        using var mute = new TcpClient();
        await mute.ConnectAsync(quick.LocalEndpoint);
        var e = await Assert.ThrowsAsync<LinkRefusedException>(() => quick.AcceptAsync().WaitAsync(LinkTestMessages.Timeout));
        Assert.Contains("did not finish within", e.Reason);
        Assert.Equal(1, quick.Counters.HandshakesTimedOut);
        Assert.Equal(0, await mute.GetStream().ReadAsync(new byte[1]).AsTask().WaitAsync(LinkTestMessages.Timeout)); // closed by the listener
    }

    [Theory]
    [InlineData("sources")]
    [InlineData("handshakes")]
    public async Task New_UDP_sources_beyond_the_DTLS_caps_get_no_state_and_are_counted(string cap)
    {
        var options = Fast with
        {
            HandshakeTimeoutMillis = 20_000,
            MaxSources = cap == "sources" ? 3 : 100,
            MaxConcurrentHandshakes = cap == "handshakes" ? 2 : 100,
        };
        await using var listener = new DtlsLinkListener(new IPEndPoint(IPAddress.Loopback, 0), As(Pki.Bob), options);
        var sources = new List<Socket>();
        try
        {
            for (int i = 0; i < 10; i++)
            {
                var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                udp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
                sources.Add(udp);
                await udp.SendToAsync(new byte[] { 22, 0xFE, 0xFD, 0, 0 }, listener.LocalEndpoint); // the start of a record, never a ClientHello
            }
            if (cap == "sources")
            {
                await WaitUntil(() => listener.Counters.SourcesOverCap == 7);
                Assert.Equal(3, listener.Sources);
            }
            else
            {
                await WaitUntil(() => listener.Counters.HandshakesOverCap == 8);
                Assert.Equal(2, listener.Handshaking);
                Assert.Equal(2, listener.Sources);
            }
        }
        finally { foreach (var s in sources) s.Dispose(); }
    }

    [Fact]
    public async Task The_peer_links_send_queue_holds_at_most_its_capacity_and_counts_the_rest()
    {
        var link = new StuckLink();
        var peerLink = new P2psip.Links.PeerLinks.OverlayPeerLink(link, null, sendQueueCapacity: 16);
        peerLink.Start((_, _) => { }, _ => { });
        peerLink.Send(LinkTestMessages.Numbered(0));
        await link.Entered.Task.WaitAsync(LinkTestMessages.Timeout); // one message is on the (stuck) wire
        for (int i = 1; i < 100; i++) peerLink.Send(LinkTestMessages.Numbered(i));
        Assert.Equal(16, peerLink.SendQueueCount);
        Assert.Equal(100 - 1 - 16, peerLink.SendQueueDrops);
        peerLink.Close();
    }

    /// <summary>A link whose first send never completes (a neighbour that stopped reading).</summary>
    private sealed class StuckLink : IOverlayLink
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public string Protocol => "TEST";
        public bool IsSecure => true;
        public P2psip.Wire.Opaque PeerNodeId => P2psip.Wire.Opaque.Empty;
        public P2psip.Security.ReloadCertificate? PeerCertificate => null;
        public LinkTap? Tap { get; set; }
        public LinkInfo Info { get; } = new("TEST", true, LinkRole.Initiator, null, null, P2psip.Wire.Opaque.Empty, P2psip.Wire.Opaque.Empty, null);
        public LinkPipeline Pipeline => field ??= new LinkPipeline(() => Info, _ => default, _ => default);
        public void Start() { }

        public async Task SendAsync(ReadOnlyMemory<byte> message, CancellationToken cancel = default)
        {
            Entered.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancel);
        }

        public async Task<ReadOnlyMemory<byte>?> ReceiveAsync(CancellationToken cancel = default)
        {
            await Task.Delay(Timeout.Infinite, cancel);
            return null;
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
