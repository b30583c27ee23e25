using System.Net;
using P2psip.Links;
using P2psip.Tests.Security;

namespace P2psip.Tests.Links;

public class InMemoryAndPlaintextLinkTests
{
    [Fact]
    public async Task In_memory_link_carries_messages_through_both_taps_and_knows_the_peer()
    {
        var pki = TestPki.Shared;
        var (a, b) = InMemoryLink.CreatePair(pki.Alice, pki.Bob);
        Assert.Equal(pki.Bob.NodeId, a.PeerNodeId);
        Assert.Equal(pki.Alice.NodeId, b.PeerNodeId);
        var seen = new List<string>();
        a.Tap = (d, m) => { seen.Add($"a {d} {LinkTestMessages.TransactionId(m)}"); return m; };
        b.Tap = (d, m) => { seen.Add($"b {d} {LinkTestMessages.TransactionId(m)}"); return LinkTestMessages.TransactionId(m) == 2 ? null : m; };
        await a.SendAsync(LinkTestMessages.Numbered(1));
        await a.SendAsync(LinkTestMessages.Numbered(2));
        await b.SendAsync(LinkTestMessages.Numbered(3));
        Assert.Equal(1ul, LinkTestMessages.TransactionId((await b.ReceiveAsync())!.Value));
        Assert.Equal(3ul, LinkTestMessages.TransactionId((await a.ReceiveAsync())!.Value));
        Assert.Equal(["a Outbound 1", "b Inbound 1", "a Outbound 2", "b Inbound 2", "b Outbound 3", "a Inbound 3"], seen);
        await a.DisposeAsync();
        Assert.Null(await b.ReceiveAsync());
    }

    [Trait("Category", TestCategory.Live)]
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Plaintext_links_exist_only_when_asked_and_say_INSECURE(bool framed)
    {
        await using var listener = new PlaintextLinkListener(new IPEndPoint(IPAddress.Loopback, 0), framed);
        var accepting = listener.AcceptInsecureAsync();
        await using var client = await PlaintextLinks.ConnectInsecureAsync(listener.LocalEndpoint, framed);
        await using var server = await accepting.WaitAsync(LinkTestMessages.Timeout);
        Assert.False(client.IsSecure);
        Assert.False(server.IsSecure);
        Assert.Contains("INSECURE", client.Protocol);
        Assert.Equal(framed ? "INSECURE-PLAINTEXT-TCP-FH" : "INSECURE-PLAINTEXT-TCP", server.Protocol);
        Assert.True(client.PeerNodeId.IsEmpty);
        for (int i = 0; i < 3; i++) await client.SendAsync(LinkTestMessages.Numbered(i));
        for (int i = 0; i < 3; i++)
            Assert.Equal((ulong)i, LinkTestMessages.TransactionId((await server.ReceiveAsync().WaitAsync(LinkTestMessages.Timeout))!.Value));
    }

    [Trait("Category", TestCategory.Live)]
    [Fact]
    public async Task A_TLS_client_does_not_fall_back_to_plaintext()
    {
        await using var listener = new PlaintextLinkListener(new IPEndPoint(IPAddress.Loopback, 0), framed: true);
        var accepting = listener.AcceptInsecureAsync();
        var pki = TestPki.Shared;
        var connecting = TlsLinks.ConnectAsync(listener.LocalEndpoint, new LinkSecurity(pki.Alice, pki.Validator));
        await using var server = await accepting.WaitAsync(LinkTestMessages.Timeout);
        await server.DisposeAsync(); // the plaintext side hangs up on the ClientHello
        await Assert.ThrowsAsync<LinkRefusedException>(() => connecting.WaitAsync(LinkTestMessages.Timeout));
    }
}
