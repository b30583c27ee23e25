using System.Net;
using System.Net.Sockets;
using P2psip.Framing;
using P2psip.Links;
using P2psip.Tests.Security;

namespace P2psip.Tests.Links;

/// <summary>
/// Issue 11, resource bounds, with each link's defaults: the overlay's default max-message-size
/// (5000, §11.1) at the framing layer, not 16 MiB, and a TLS client that does not wait for ever.
/// </summary>
[Trait("Category", TestCategory.Live)]
public class LinkDefaultBoundsTests
{
    [Fact]
    public async Task By_default_a_DATA_frame_above_5000_bytes_is_not_delivered_and_the_next_one_is()
    {
        await using var listener = new PlaintextLinkListener(new IPEndPoint(IPAddress.Loopback, 0), framed: true);
        var accepting = listener.AcceptInsecureAsync();
        using var raw = new TcpClient();
        await raw.ConnectAsync(listener.LocalEndpoint);
        await using var reference = await accepting.WaitAsync(LinkTestMessages.Timeout);
        var stream = raw.GetStream();
        await stream.WriteAsync(new DataFrame(1, new byte[5001]).Encode());
        await stream.WriteAsync(new DataFrame(2, LinkTestMessages.Numbered(7)).Encode());
        var first = await reference.ReceiveAsync().WaitAsync(LinkTestMessages.Timeout);
        Assert.NotNull(first);
        Assert.Equal(LinkTestMessages.Numbered(7).Length, first.Value.Length);
        Assert.Equal(7ul, LinkTestMessages.TransactionId(first.Value));
    }

    [Trait("Category", TestCategory.Long)] // waits out the default 10 s handshake timeout
    [Fact]
    public async Task A_TLS_client_gives_up_on_a_server_that_never_answers_its_ClientHello()
    {
        using var mute = new TcpListener(IPAddress.Loopback, 0);
        mute.Start();
        var pki = TestPki.Shared;
        var connecting = TlsLinks.ConnectAsync((IPEndPoint)mute.LocalEndpoint, new LinkSecurity(pki.Alice, pki.Validator));
        using var accepted = await mute.AcceptTcpClientAsync().WaitAsync(LinkTestMessages.Timeout); // and never a byte back
        var e = await Assert.ThrowsAsync<LinkRefusedException>(() => connecting.WaitAsync(LinkTestMessages.Timeout));
        Assert.Contains("did not finish within", e.Reason);
    }
}
