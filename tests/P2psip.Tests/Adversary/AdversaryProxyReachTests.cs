using P2psip.Adversary.Proxy;
using P2psip.Links;
using P2psip.Links.Dtls;
using P2psip.Tests.Security;
using static P2psip.Tests.Adversary.AdversaryTestKit;
using static P2psip.Tests.Adversary.ProxyLinkEnd;

namespace P2psip.Tests.Adversary;

/// <summary>
/// What the proxy does beyond relaying on its one link: redirects and replays to another node it can
/// reach (<see cref="ProxyOptions.Also"/>), and the difference between a rule's close (in order)
/// and reset (abort) as the far ends see it.
/// </summary>
[Trait("Category", "Integration")]
public class AdversaryProxyReachTests
{
    private static TestPki Pki => TestPki.Shared;

    private static string ToCarol(string actions) => $$"""
        name: to-carol
        nodes:
          carol: "{{Pki.Carol.NodeId.ToHex()}}"
        rules:
          - match: {direction: outbound, code: store_req}
            actions: {{actions}}
        """;

    /// <summary>A proxy from Alice to Bob that can also reach Carol (whose Node-ID it learns by a first link).</summary>
    private static async Task<AdversaryProxy> ProxyWithCarol(ProxyLinkEnd bob, ProxyLinkEnd carol, string yaml)
    {
        var starting = AdversaryProxy.StartAsync(new ProxyOptions(Loopback, bob.Endpoint, Engine(yaml))
        {
            Lab = Pki.Ca, UpstreamNodeId = Pki.Bob.NodeId, Also = [new ProxyNode(carol.Endpoint)],
        });
        await using (await carol.Next()) { } // the learning link
        var proxy = await starting;
        Assert.Equal(Pki.Carol.NodeId, Assert.Single(proxy.Others).NodeId);
        return proxy;
    }

    [Fact]
    public async Task A_redirect_goes_to_the_other_node_and_its_answer_comes_back()
    {
        await using var bob = new ProxyLinkEnd(ProxyTransport.Tls, Pki.Bob);
        await using var carol = new ProxyLinkEnd(ProxyTransport.Tls, Pki.Carol);
        await using var proxy = await ProxyWithCarol(bob, carol, ToCarol("[{redirect: {to: carol}}]"));
        await using var down = await Connect(ProxyTransport.Tls, proxy.LocalEndpoint, Pki.Alice, Pki.Bob.NodeId);
        await using var up = await bob.Next();

        var store = CorpusMessage("store_req");
        await down.SendAsync(store);
        await using var toCarol = await carol.Next();
        Assert.Equal(Pki.Alice.NodeId, toCarol.PeerNodeId); // the proxy is Alice toward Carol too
        Assert.Equal(store, await Receive(toCarol));

        // Bob never saw the Store: the next thing he gets is the Ping after it.
        var ping = CorpusMessage("ping_req");
        await down.SendAsync(ping);
        Assert.Equal(ping, await Receive(up));

        // Carol's answer reaches Alice, through the engine (inbound).
        var answer = CorpusMessage("store_ans");
        await toCarol.SendAsync(answer);
        Assert.Equal(answer, await Receive(down));
        Assert.Contains(proxy.Engine.Log.Records, r => r.Code == "store_ans" && r.Direction == LinkDirection.Inbound);
    }

    [Theory]
    [InlineData("after_messages: 1")]
    [InlineData("after_ms: 50")]
    public async Task A_replay_to_the_other_node_sends_it_there_as_well(string when)
    {
        await using var bob = new ProxyLinkEnd(ProxyTransport.Tls, Pki.Bob);
        await using var carol = new ProxyLinkEnd(ProxyTransport.Tls, Pki.Carol);
        await using var proxy = await ProxyWithCarol(bob, carol, ToCarol($"[{{replay: {{{when}, to: carol}}}}]"));
        await using var down = await Connect(ProxyTransport.Tls, proxy.LocalEndpoint, Pki.Alice, Pki.Bob.NodeId);
        await using var up = await bob.Next();

        var store = CorpusMessage("store_req");
        var ping = CorpusMessage("ping_req");
        await down.SendAsync(store);
        await down.SendAsync(ping);
        Assert.Equal(store, await Receive(up)); // the original goes on its way
        Assert.Equal(ping, await Receive(up));
        await using var toCarol = await carol.Next();
        Assert.Equal(store, await Receive(toCarol)); // and the replay to Carol, unchanged
    }

    [Fact]
    public async Task A_redirect_to_a_node_the_proxy_cannot_reach_is_dropped_and_said()
    {
        await using var bob = new ProxyLinkEnd(ProxyTransport.Tls, Pki.Bob);
        var said = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await using var proxy = await AdversaryProxy.StartAsync(new ProxyOptions(Loopback, bob.Endpoint, Engine(ToCarol("[{redirect: {to: carol}}]")))
        {
            Lab = Pki.Ca, UpstreamNodeId = Pki.Bob.NodeId, Log = said.Enqueue,
        });
        await using var down = await Connect(ProxyTransport.Tls, proxy.LocalEndpoint, Pki.Alice, Pki.Bob.NodeId);
        await using var up = await bob.Next();
        await down.SendAsync(CorpusMessage("store_req"));
        var ping = CorpusMessage("ping_req");
        await down.SendAsync(ping);
        Assert.Equal(ping, await Receive(up));
        Assert.Contains(said, line => line.Contains("not one of the proxy's other nodes", StringComparison.Ordinal));
    }

    private static string? FailureOf(PipelinedLink link) => link switch
    {
        StreamLink s => s.Failure,
        DtlsLink d => d.Failure,
        _ => throw new ArgumentException(link.GetType().Name),
    };

    [Theory]
    [InlineData(ProxyTransport.Tls)]
    [InlineData(ProxyTransport.Dtls)]
    public async Task Close_ends_both_far_ends_in_order(ProxyTransport transport)
    {
        await using var relayed = await CloseOrReset(transport, "[drop, close]");
        // TLS: close_notify and FIN, read as the end of the stream; DTLS: close_notify.
        foreach (var far in new[] { relayed.Up, relayed.Down })
        {
            await Ended(far, TimeSpan.FromSeconds(30));
            Assert.Null(FailureOf(far));
        }
    }

    [Theory]
    [InlineData(ProxyTransport.Tls)]
    [InlineData(ProxyTransport.Dtls)]
    public async Task Reset_aborts_both_far_ends(ProxyTransport transport)
    {
        await using var relayed = await CloseOrReset(transport, "[drop, {close: {reset: true}}]");
        await Eventually.WaitUntil(() => relayed.Proxy.ConnectionsEnded == 1, "the proxy to reset its links");
        foreach (var far in new[] { relayed.Up, relayed.Down })
        {
            if (transport == ProxyTransport.Tls)
            {
                // RST: the stream breaks with "connection reset", not an orderly end.
                await Ended(far, TimeSpan.FromSeconds(30));
                Assert.Contains("reset", FailureOf(far) ?? "(no failure: an orderly close)", StringComparison.OrdinalIgnoreCase);
            }
            else
            {
                // No close_notify: the far end learns only when its next message gets no ACK (§6.6.3.1).
                await Assert.ThrowsAsync<LinkFailedException>(() => far.SendAsync(CorpusMessage("ping_req")));
                Assert.StartsWith("no ACK", FailureOf(far));
            }
        }
    }

    private sealed record Relayed(AdversaryProxy Proxy, ProxyLinkEnd Bob, PipelinedLink Down, PipelinedLink Up) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Down.DisposeAsync();
            await Up.DisposeAsync();
            await Proxy.DisposeAsync();
            await Bob.DisposeAsync();
        }
    }

    /// <summary>Alice — proxy — Bob; one Ping relayed; then a Store that the rule answers with <paramref name="actions"/>.</summary>
    private static async Task<Relayed> CloseOrReset(ProxyTransport transport, string actions)
    {
        var bob = new ProxyLinkEnd(transport, Pki.Bob);
        var proxy = await AdversaryProxy.StartAsync(new ProxyOptions(Loopback, bob.Endpoint, Engine(OneRule(actions, "{direction: outbound, code: store_req}")))
        {
            Lab = Pki.Ca, UpstreamNodeId = Pki.Bob.NodeId, Transport = transport, Dtls = QuickDtls,
        });
        var down = await Connect(transport, proxy.LocalEndpoint, Pki.Alice, Pki.Bob.NodeId);
        var up = await bob.Next();
        var ping = CorpusMessage("ping_req");
        await down.SendAsync(ping);
        Assert.Equal(ping, await Receive(up));
        await down.SendAsync(CorpusMessage("store_req"));
        return new Relayed(proxy, bob, down, up);
    }
}
