using System.Net;
using P2psip.Links;
using P2psip.Tests.Security;

namespace P2psip.Tests.Links;

/// <summary>Issue 11, seam 1: a hook put on a link before its owner reads must see the link's first message.</summary>
[Trait("Category", TestCategory.Live)]
public class LinkFirstMessageTests
{
    [Fact]
    public async Task A_tap_set_on_an_accepted_link_before_it_is_read_sees_the_first_message()
    {
        var pki = TestPki.Shared;
        await using var listener = new TlsLinkListener(new IPEndPoint(IPAddress.Loopback, 0), new LinkSecurity(pki.Bob, pki.Validator));
        var accepting = listener.AcceptAsync();
        await using var client = await TlsLinks.ConnectAsync(listener.LocalEndpoint, new LinkSecurity(pki.Alice, pki.Validator));
        await using var server = await accepting.WaitAsync(LinkTestMessages.Timeout);
        await client.SendAsync(LinkTestMessages.Numbered(0));
        // A link that reads eagerly takes the message and ACKs it: give it up to 2 s to do so before the tap
        // goes on. A link that waits for its owner ACKs nothing, and the wait ends at 2 s.
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(2);
        while (client.AcksReceived == 0 && DateTime.UtcNow < until) await Task.Delay(10);
        var seen = new List<ulong>();
        server.Tap = (_, m) => { lock (seen) seen.Add(LinkTestMessages.TransactionId(m)); return m; };
        Assert.Equal(0ul, LinkTestMessages.TransactionId((await server.ReceiveAsync().WaitAsync(LinkTestMessages.Timeout))!.Value));
        Assert.Equal([0ul], seen);
    }
}
