using System.Net;
using P2psip.Adversary;
using P2psip.Adversary.Proxy;
using P2psip.Capture;
using P2psip.Links;
using P2psip.Messages;
using P2psip.Tests.Security;
using static P2psip.Tests.Adversary.AdversaryTestKit;

namespace P2psip.Tests.Replay;

/// <summary>The proxy's <c>Capture</c> (<c>p2psip proxy --capture FILE</c>): both links of a relayed connection, decrypted, in one pcap.</summary>
[Trait("Category", "Integration")]
public class ProxyCaptureTests
{
    private static readonly IPEndPoint Loopback = new(IPAddress.Loopback, 0);

    [Fact]
    public async Task Both_links_of_a_relayed_connection_are_recorded_each_way()
    {
        var pki = TestPki.Shared;
        var path = Path.Combine(Cli.CliRunner.NewDirectory(), "proxy.pcap");
        await using var listener = new TlsLinkListener(Loopback, new LinkSecurity(pki.Bob, pki.Validator));
        using (var writer = PcapStreamWriter.Create(path))
        {
            var starting = AdversaryProxy.StartAsync(new ProxyOptions(Loopback, listener.LocalEndpoint, Engine(new Scenario("relay"))) { Lab = pki.Ca, Capture = writer });
            await using (await listener.AcceptAsync()) { } // the proxy learns the upstream's Node-ID
            await using var proxy = await starting;
            await using var down = await TlsLinks.ConnectAsync(proxy.LocalEndpoint, new LinkSecurity(pki.Alice, pki.Validator), pki.Bob.NodeId);
            await using var up = await listener.AcceptAsync();

            var store = CorpusMessage("store_req");
            await down.SendAsync(store);
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            Assert.Equal(store, (await up.ReceiveAsync(deadline.Token))!.Value.ToArray());
            var answer = CorpusMessage("store_ans");
            await up.SendAsync(answer);
            Assert.Equal(answer, (await down.ReceiveAsync(deadline.Token))!.Value.ToArray());
        }

        using var reader = PcapFileReader.Open(path);
        var messages = new ReloadCaptureDecoder(reader).Items().Where(i => i.Kind == CaptureItemKind.Message)
            .Select(i => (Code: ReloadCodec.DecodeCopy(i.Message.Span).Value!.MessageCode, Link: i.Stream.Label)).ToList();
        // Each message crossed two links: Alice's to the proxy and the proxy's to Bob.
        Assert.Equal(2, messages.Count(m => m.Code == MessageCodes.StoreReq));
        Assert.Equal(2, messages.Count(m => m.Code == MessageCodes.StoreAns));
        Assert.Equal(4, messages.Select(m => m.Link).Distinct().Count());
    }
}
