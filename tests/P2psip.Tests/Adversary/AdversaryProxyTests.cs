using System.Net;
using P2psip.Adversary;
using P2psip.Adversary.Proxy;
using P2psip.Links;
using P2psip.Messages;
using P2psip.Messages.Storage;
using P2psip.Peer;
using P2psip.Peer.Live;
using P2psip.Tests.LivePeer;
using P2psip.Tests.Security;
using static P2psip.Tests.Adversary.AdversaryTestKit;
using static P2psip.Tests.Adversary.ProxyLinkEnd;

namespace P2psip.Tests.Adversary;

/// <summary>
/// The proxy between two loopback TLS or DTLS link ends: an insider is accepted by both and relays what the
/// scenario says (the messages on both sides compared); impostor certificates are refused.
/// </summary>
[Trait("Category", "Integration")]
public class AdversaryProxyTests
{
    private static readonly IPEndPoint Loopback = ProxyLinkEnd.Loopback;
    private static TestPki Pki => TestPki.Shared;

    [Theory]
    [InlineData(ProxyTransport.Tls)]
    [InlineData(ProxyTransport.Dtls)]
    public async Task An_insider_is_accepted_by_both_sides_and_relays_what_the_scenario_says(ProxyTransport transport)
    {
        await using var upstream = new ProxyLinkEnd(transport, Pki.Bob);
        var engine = Engine(OneRule("[{mutate: {path: forwarding_header.ttl, op: set, value: 9}}]", "{direction: outbound, code: store_req}"));
        var starting = AdversaryProxy.StartAsync(new ProxyOptions(Loopback, upstream.Endpoint, engine) { Lab = Pki.Ca, Transport = transport, Dtls = ProxyLinkEnd.QuickDtls });
        await using (await upstream.Next()) { } // the proxy's first link learns the upstream's Node-ID
        await using var proxy = await starting;
        Assert.Equal(Pki.Bob.NodeId, proxy.UpstreamNodeId);

        // The downstream peer links to Bob's Node-ID and gets it; Bob sees Alice's.
        await using var down = await ProxyLinkEnd.Connect(transport, proxy.LocalEndpoint, Pki.Alice, Pki.Bob.NodeId);
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
        await using var upstream = new ProxyLinkEnd(ProxyTransport.Tls, Pki.Bob);
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

    [Theory]
    [InlineData(LinkTransport.Tls, ProxyTransport.Tls)]
    [InlineData(LinkTransport.Dtls, ProxyTransport.Dtls)]
    public async Task An_empty_scenario_leaves_a_ring_of_reference_peerTransportworking_through_the_proxy(LinkTransport peerTransport, ProxyTransport transport)
    {
        var overlay = new LiveOverlay(3);
        var peers = new List<P2psip.Peer.Live.LivePeer>();
        AdversaryProxy? proxy = null;
        try
        {
            var first = P2psip.Peer.Live.LivePeer.Create(new LivePeerOptions { Configuration = overlay.Configuration, Identity = overlay.Identities[0], ReliabilityTimerMillis = 500, Transport = peerTransport });
            peers.Add(first);
            await first.StartAsync(TimeSpan.FromSeconds(30));
            var engine = Engine("name: relay\nrules: []");
            proxy = await AdversaryProxy.StartAsync(new ProxyOptions(Loopback, first.Address.ToEndPoint()!, engine) { Lab = overlay.Ca, UpstreamNodeId = first.NodeId, Transport = transport });
            // The others join through the proxy, which presents the first peer's Node-ID.
            for (int i = 1; i < 3; i++)
            {
                var peer = P2psip.Peer.Live.LivePeer.Create(new LivePeerOptions
                {
                    Configuration = overlay.Configuration, Identity = overlay.Identities[i],
                    Bootstrap = IpAddressPort.From(proxy.LocalEndpoint), ReliabilityTimerMillis = 500, Transport = peerTransport,
                });
                peers.Add(peer);
                await peer.StartAsync(TimeSpan.FromSeconds(30));
            }
            Assert.True(await LiveOverlay.ConvergedAsync(peers, TimeSpan.FromSeconds(60)), "the ring converges");
            Assert.All(peers, p => Assert.Equal(PeerState.Joined, p.Peer.State));

            var aor = "sip:" + peers[1].Options.Identity.UserName;
            var stored = await peers[1].RegisterAsync(aor, "sip:user1@127.0.0.1:5060").WaitAsync(TimeSpan.FromSeconds(30));
            Assert.IsType<StoreAns>(stored.Body);
            var (contacts, outcome) = await peers[2].LookupAsync(aor).WaitAsync(TimeSpan.FromSeconds(30));
            Assert.False(outcome.IsError, outcome.ToString());
            Assert.Equal("sip:user1@127.0.0.1:5060", Assert.Single(contacts).Uri);

            Assert.True(proxy.Connections >= 2);
            Assert.Contains(engine.Log.Records, r => r.Code == "join_req");
            Assert.All(engine.Log.Records, r => Assert.Null(r.Rule));
        }
        finally
        {
            if (proxy is not null) await proxy.DisposeAsync();
            foreach (var p in peers) p.Crash();
        }
    }
}
