using System.Net;
using P2psip.Links;
using P2psip.Links.PeerLinks;
using P2psip.Peer;
using P2psip.Tests.Security;

namespace P2psip.Tests.Links;

/// <summary>Issue 11, seam 1: the ordered handler chain on every link, on in-memory and real TLS links.</summary>
[Trait("Category", TestCategory.Live)]
public class LinkPipelineTests
{
    private static readonly TestPki Pki = TestPki.Shared;

    /// <summary>A joined pair: the first end is Alice's (the initiator), the second Bob's. Neither is started.</summary>
    private static async Task<(IOverlayLink A, IOverlayLink B, Func<ValueTask> Close)> Pair(string kind)
    {
        if (kind == "in-memory")
        {
            var (a, b) = InMemoryLink.CreatePair(Pki.Alice, Pki.Bob);
            return (a, b, async () => { await a.DisposeAsync(); await b.DisposeAsync(); });
        }
        var listener = new TlsLinkListener(new IPEndPoint(IPAddress.Loopback, 0), new LinkSecurity(Pki.Bob, Pki.Validator));
        var accepting = listener.AcceptAsync();
        var client = await TlsLinks.ConnectAsync(listener.LocalEndpoint, new LinkSecurity(Pki.Alice, Pki.Validator), Pki.Bob.NodeId);
        var server = await accepting.WaitAsync(LinkTestMessages.Timeout);
        return (client, server, async () => { await client.DisposeAsync(); await server.DisposeAsync(); await listener.DisposeAsync(); });
    }

    private static async Task<ulong> Next(IOverlayLink link) =>
        LinkTestMessages.TransactionId((await link.ReceiveAsync().WaitAsync(LinkTestMessages.Timeout))!.Value);

    private static LinkHandler Recorder(List<string> log, string name) => new((m, ctx) =>
    {
        lock (log) log.Add($"{name} {m.Direction} {LinkTestMessages.TransactionId(m.Bytes)}");
        return ctx.ForwardAsync(m);
    });

    [Theory]
    [InlineData("in-memory")]
    [InlineData("tls")]
    public async Task Handlers_run_in_order_outbound_and_in_reverse_inbound(string kind)
    {
        var (a, b, close) = await Pair(kind);
        try
        {
            var log = new List<string>();
            a.Pipeline.Add(Recorder(log, "a1")).Add(Recorder(log, "a2"));
            b.Pipeline.Add(Recorder(log, "b1")).Add(Recorder(log, "b2"));
            b.Pipeline.AddFirst(Recorder(log, "b0"));
            a.Start();
            b.Start();
            await a.SendAsync(LinkTestMessages.Numbered(1));
            Assert.Equal(1ul, await Next(b));
            // Index 0 is nearest the owner: outbound passes 0..n, inbound n..0.
            Assert.Equal(["a1 Outbound 1", "a2 Outbound 1", "b2 Inbound 1", "b1 Inbound 1", "b0 Inbound 1"], log);
        }
        finally { await close(); }
    }

    [Theory]
    [InlineData("in-memory")]
    [InlineData("tls")]
    public async Task A_handler_attached_before_start_sees_the_first_message_and_the_link_metadata(string kind)
    {
        var (a, b, close) = await Pair(kind);
        try
        {
            await a.SendAsync(LinkTestMessages.Numbered(0)); // sent before the far end has anything on it
            var log = new List<string>();
            LinkInfo? attachedTo = null;
            var handler = new AttachRecorder(log, info => attachedTo = info);
            b.Pipeline.Add(handler);
            b.Start();
            Assert.Equal(0ul, await Next(b));
            Assert.Equal(["Inbound 0"], log);
            Assert.NotNull(attachedTo);
            Assert.Equal(LinkRole.Acceptor, attachedTo.Role);
            Assert.Equal(LinkRole.Initiator, a.Info.Role);
            Assert.Equal(Pki.Bob.NodeId, attachedTo.LocalNodeId);
            Assert.Equal(Pki.Alice.NodeId, attachedTo.RemoteNodeId);
            Assert.Equal(Pki.Alice.NodeId, a.Info.LocalNodeId);
            Assert.Equal(Pki.Bob.NodeId, a.Info.RemoteNodeId);
            Assert.Equal(kind == "tls" ? TlsLinks.Protocol : InMemoryLink.ProtocolName, attachedTo.Protocol);
            if (kind == "tls")
            {
                Assert.Equal(a.Info.LocalAddress, b.Info.RemoteAddress);
                Assert.Equal(a.Info.RemoteAddress, b.Info.LocalAddress);
                Assert.NotNull(a.Info.RemoteAddress);
            }
        }
        finally { await close(); }
    }

    private sealed class AttachRecorder(List<string> log, Action<LinkInfo> attached) : ILinkHandler
    {
        public void Attached(LinkContext context) => attached(context.Link);

        public ValueTask HandleAsync(LinkMessage message, LinkContext context)
        {
            lock (log) log.Add($"{message.Direction} {LinkTestMessages.TransactionId(message.Bytes)}");
            return context.ForwardAsync(message);
        }
    }

    [Theory]
    [InlineData("in-memory")]
    [InlineData("tls")]
    public async Task A_handler_drops_changes_and_duplicates_exactly_the_messages_it_chooses(string kind)
    {
        var (a, b, close) = await Pair(kind);
        try
        {
            a.Pipeline.Add(new LinkHandler(async (m, ctx) =>
            {
                switch (LinkTestMessages.TransactionId(m.Bytes))
                {
                    case 1: return; // drop
                    case 2: await ctx.ForwardAsync(m with { Bytes = LinkTestMessages.Numbered(42) }); return; // change
                    case 3: await ctx.ForwardAsync(m); await ctx.ForwardAsync(m); return; // duplicate
                    default: await ctx.ForwardAsync(m); return;
                }
            }));
            a.Start();
            b.Start();
            for (int i = 0; i < 5; i++) await a.SendAsync(LinkTestMessages.Numbered(i));
            var got = new List<ulong>();
            for (int i = 0; i < 5; i++) got.Add(await Next(b));
            Assert.Equal([0ul, 42ul, 3ul, 3ul, 4ul], got);
        }
        finally { await close(); }
    }

    [Theory]
    [InlineData("in-memory")]
    [InlineData("tls")]
    public async Task A_handler_delays_one_message_until_it_lets_it_go(string kind)
    {
        var (a, b, close) = await Pair(kind);
        try
        {
            var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Task? delayed = null;
            a.Pipeline.Add(new LinkHandler((m, ctx) =>
            {
                if (LinkTestMessages.TransactionId(m.Bytes) != 0) return ctx.ForwardAsync(m);
                // Held off the sender's path: later messages pass it.
                delayed = Task.Run(async () => { await release.Task; await ctx.ForwardAsync(m); });
                return ValueTask.CompletedTask;
            }));
            a.Start();
            b.Start();
            await a.SendAsync(LinkTestMessages.Numbered(0));
            await a.SendAsync(LinkTestMessages.Numbered(1));
            Assert.Equal(1ul, await Next(b)); // 0 cannot have passed: it is released only now
            release.SetResult();
            Assert.Equal(0ul, await Next(b));
            await delayed!.WaitAsync(LinkTestMessages.Timeout);
        }
        finally { await close(); }
    }

    [Theory]
    [InlineData("in-memory")]
    [InlineData("tls")]
    public async Task A_handler_injects_messages_both_ways_from_its_place(string kind)
    {
        var (a, b, close) = await Pair(kind);
        try
        {
            LinkContext? place = null;
            var log = new List<string>();
            // On b: a recorder nearest the owner, then the injector, then a recorder nearest the wire.
            b.Pipeline.Add(Recorder(log, "owner-side"));
            b.Pipeline.Add(new Injector(ctx => place = ctx, async (m, ctx) =>
            {
                await ctx.ForwardAsync(m);
                // Answer 5 on the far end's behalf: a new outbound message from here.
                if (m.Direction == LinkDirection.Inbound && LinkTestMessages.TransactionId(m.Bytes) == 5)
                    await ctx.InjectAsync(LinkMessage.Outbound(LinkTestMessages.Numbered(6)));
            }));
            b.Pipeline.Add(Recorder(log, "wire-side"));
            a.Start();
            b.Start();
            await a.SendAsync(LinkTestMessages.Numbered(5));
            Assert.Equal(5ul, await Next(b));
            Assert.Equal(6ul, await Next(a));
            // Injected at any time with the kept context: toward b's owner (nothing crosses the wire) and toward a.
            await place!.InjectAsync(LinkMessage.Inbound(LinkTestMessages.Numbered(8)));
            Assert.Equal(8ul, await Next(b));
            await place.InjectAsync(LinkMessage.Outbound(LinkTestMessages.Numbered(7)));
            Assert.Equal(7ul, await Next(a));
            Assert.Equal(["wire-side Inbound 5", "owner-side Inbound 5", "wire-side Outbound 6", "owner-side Inbound 8", "wire-side Outbound 7"], log);
        }
        finally { await close(); }
    }

    private sealed class Injector(Action<LinkContext> attached, Func<LinkMessage, LinkContext, ValueTask> handle) : ILinkHandler
    {
        public void Attached(LinkContext context) => attached(context);
        public ValueTask HandleAsync(LinkMessage message, LinkContext context) => handle(message, context);
    }

    [Fact]
    public async Task The_tap_is_one_handler_in_the_pipeline_and_setting_it_again_keeps_its_place()
    {
        var (a, b) = InMemoryLink.CreatePair(Pki.Alice, Pki.Bob);
        var log = new List<string>();
        a.Pipeline.Add(Recorder(log, "first"));
        a.Tap = (_, m) => { lock (log) log.Add("tap1"); return m; };
        a.Pipeline.Add(Recorder(log, "last"));
        a.Tap = (_, m) => { lock (log) log.Add("tap2"); return m; };
        Assert.Equal(3, a.Pipeline.Handlers.Count);
        a.Start();
        b.Start();
        await a.SendAsync(LinkTestMessages.Numbered(1));
        Assert.Equal(1ul, await Next(b));
        Assert.Equal(["first Outbound 1", "tap2", "last Outbound 1"], log);
        a.Tap = null;
        Assert.Equal(2, a.Pipeline.Handlers.Count);
        await a.DisposeAsync();
    }

    [Fact]
    public async Task An_inbound_handler_that_throws_loses_that_message_only_and_is_counted()
    {
        var (a, b) = InMemoryLink.CreatePair(Pki.Alice, Pki.Bob);
        b.Pipeline.Add(new LinkHandler((m, ctx) =>
            LinkTestMessages.TransactionId(m.Bytes) == 1 ? throw new InvalidOperationException("handler bug") : ctx.ForwardAsync(m)));
        a.Start();
        b.Start();
        for (int i = 0; i < 3; i++) await a.SendAsync(LinkTestMessages.Numbered(i));
        Assert.Equal(0ul, await Next(b));
        Assert.Equal(2ul, await Next(b));
        Assert.Equal(1, b.Pipeline.HandlerFaults);
        Assert.Equal("handler bug", b.Pipeline.LastHandlerFault?.Message);
        await a.DisposeAsync();
    }

    [Fact]
    public async Task The_peer_link_layer_puts_its_handlers_on_every_link_before_the_first_message()
    {
        var layer = new TlsPeerLinkLayer(new IPEndPoint(IPAddress.Loopback, 0), new LinkSecurity(Pki.Bob, Pki.Validator));
        try
        {
            var log = new List<string>();
            layer.AddHandler(info => Recorder(log, info.Role.ToString()));
            var accepted = new TaskCompletionSource<IPeerLink>(TaskCreationOptions.RunContinuationsAsynchronously);
            layer.Listen(link => accepted.TrySetResult(link));
            await using var client = await TlsLinks.ConnectAsync(layer.LocalAddress.ToEndPoint()!, new LinkSecurity(Pki.Alice, Pki.Validator));
            await client.SendAsync(LinkTestMessages.Numbered(3)); // at once, before the peer has the link
            var link = (OverlayPeerLink)await accepted.Task.WaitAsync(LinkTestMessages.Timeout);
            var received = new TaskCompletionSource<ulong>(TaskCreationOptions.RunContinuationsAsynchronously);
            link.Start((_, m) => received.TrySetResult(LinkTestMessages.TransactionId(m)), _ => { });
            Assert.Equal(3ul, await received.Task.WaitAsync(LinkTestMessages.Timeout));
            Assert.Equal(["Acceptor Inbound 3"], log);
            Assert.Equal(Pki.Alice.NodeId, link.Info.RemoteNodeId);
        }
        finally { layer.Shutdown(); }
    }
}
