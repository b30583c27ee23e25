using System.Net;
using System.Threading.Channels;
using P2psip.Adversary;
using P2psip.Adversary.Proxy;
using P2psip.Links;
using P2psip.Tests.Security;
using static P2psip.Tests.Adversary.AdversaryTestKit;

namespace P2psip.Tests.Adversary;

/// <summary>
/// The proxy between two loopback TLS link ends: an insider is accepted by both and relays what the
/// scenario says (the messages on both sides compared); impostor certificates are refused.
/// </summary>
[Trait("Category", "Integration")]
public class AdversaryProxyTests
{
    private static readonly IPEndPoint Loopback = new(IPAddress.Loopback, 0);
    private static TestPki Pki => TestPki.Shared;

    /// <summary>An upstream link end as Bob, accepting links into a queue.</summary>
    private sealed class Upstream : IAsyncDisposable
    {
        private readonly TlsLinkListener _listener = new(Loopback, new LinkSecurity(Pki.Bob, Pki.Validator));
        private readonly Channel<StreamLink> _accepted = Channel.CreateUnbounded<StreamLink>();
        private readonly CancellationTokenSource _stop = new();

        public Upstream() => _ = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                try { _accepted.Writer.TryWrite(await _listener.AcceptAsync(_stop.Token)); }
                catch (LinkRefusedException) { }
                catch (OperationCanceledException) { return; }
                catch (ObjectDisposedException) { return; }
            }
        });

        public IPEndPoint Endpoint => _listener.LocalEndpoint;

        public async Task<StreamLink> Next()
        {
            using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            return await _accepted.Reader.ReadAsync(cancel.Token);
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _listener.DisposeAsync();
        }
    }

    private static async Task<byte[]> Receive(IOverlayLink link)
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var message = await link.ReceiveAsync(cancel.Token);
        Assert.NotNull(message);
        return message.Value.ToArray();
    }

    [Fact]
    public async Task An_insider_is_accepted_by_both_sides_and_relays_what_the_scenario_says()
    {
        await using var upstream = new Upstream();
        var engine = Engine(OneRule("[{mutate: {path: forwarding_header.ttl, op: set, value: 9}}]", "{direction: outbound, code: store_req}"));
        var starting = AdversaryProxy.StartAsync(new ProxyOptions(Loopback, upstream.Endpoint, engine) { Lab = Pki.Ca });
        await using (await upstream.Next()) { } // the proxy's first link learns the upstream's Node-ID
        await using var proxy = await starting;
        Assert.Equal(Pki.Bob.NodeId, proxy.UpstreamNodeId);

        // The downstream peer links to Bob's Node-ID and gets it; Bob sees Alice's.
        await using var down = await TlsLinks.ConnectAsync(proxy.LocalEndpoint, new LinkSecurity(Pki.Alice, Pki.Validator), Pki.Bob.NodeId);
        await using var up = await upstream.Next();
        Assert.Equal(Pki.Bob.NodeId, down.PeerNodeId);
        Assert.Equal(Pki.Alice.NodeId, up.PeerNodeId);

        var store = CorpusMessage("store_req");
        await down.SendAsync(store);
        var relayed = await Receive(up);
        Assert.Equal([11], Differences(store, relayed));
        Assert.Equal(9, relayed[11]);

        foreach (var name in new[] { "fetch_req", "ping_req" })
        {
            await down.SendAsync(CorpusMessage(name));
            Assert.Equal(CorpusMessage(name), await Receive(up));
        }
        var answer = CorpusMessage("fetch_ans");
        await up.SendAsync(answer);
        Assert.Equal(answer, await Receive(down));

        var inbound = engine.Log.Records.Single(r => r.Code == "fetch_ans");
        Assert.Equal(LinkDirection.Inbound, inbound.Direction);
        Assert.Equal(4, engine.Log.Records.Count);
    }

    [Theory]
    [InlineData(ProxyPresentation.ForeignCa)]
    [InlineData(ProxyPresentation.SelfSigned)]
    [InlineData(ProxyPresentation.Expired)]
    [InlineData(ProxyPresentation.OtherNodeId)]
    public async Task An_impostor_is_refused(ProxyPresentation presentation)
    {
        await using var upstream = new Upstream();
        var engine = Engine("name: relay\nrules: []");
        await using var proxy = await AdversaryProxy.StartAsync(new ProxyOptions(Loopback, upstream.Endpoint, engine)
        {
            Lab = Pki.Ca, Presentation = presentation, UpstreamNodeId = Pki.Bob.NodeId,
        });
        await Assert.ThrowsAsync<LinkRefusedException>(async () =>
        {
            await using var link = await TlsLinks.ConnectAsync(proxy.LocalEndpoint, new LinkSecurity(Pki.Alice, Pki.Validator), Pki.Bob.NodeId);
        });
    }
}
