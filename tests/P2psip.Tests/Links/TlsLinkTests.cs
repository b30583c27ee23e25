using System.Net;
using P2psip.Links;
using P2psip.Security;
using P2psip.Tests.Security;

namespace P2psip.Tests.Links;

[Trait("Category", TestCategory.Live)]
public class TlsLinkTests
{
    private static readonly TestPki Pki = TestPki.Shared;

    private static LinkSecurity As(Identity? who, List<string>? log = null) =>
        new(who, Pki.Validator) { Log = log is null ? null : line => { lock (log) log.Add(line); } };

    [Fact]
    public async Task Handshake_between_two_enrolled_identities_carries_framed_messages_both_ways()
    {
        await using var listener = new TlsLinkListener(new IPEndPoint(IPAddress.Loopback, 0), As(Pki.Bob));
        var accepting = listener.AcceptAsync();
        await using var client = await TlsLinks.ConnectAsync(listener.LocalEndpoint, As(Pki.Alice), expectedNodeId: Pki.Bob.NodeId);
        await using var server = await accepting.WaitAsync(LinkTestMessages.Timeout);

        Assert.Equal("TLS-TCP-FH-NO-ICE", client.Protocol);
        Assert.True(client.IsSecure);
        Assert.Equal(Pki.Bob.NodeId, client.PeerNodeId);
        Assert.Equal(Pki.Alice.NodeId, server.PeerNodeId);

        var seen = new List<(LinkDirection, ulong)>();
        server.Tap = (direction, message) => { lock (seen) seen.Add((direction, LinkTestMessages.TransactionId(message))); return message; };
        for (int i = 0; i < 5; i++) await client.SendAsync(LinkTestMessages.Numbered(i));
        for (int i = 0; i < 5; i++)
            Assert.Equal((ulong)i, LinkTestMessages.TransactionId((await server.ReceiveAsync().WaitAsync(LinkTestMessages.Timeout))!.Value));
        await server.SendAsync(LinkTestMessages.Numbered(99));
        Assert.Equal(99ul, LinkTestMessages.TransactionId((await client.ReceiveAsync().WaitAsync(LinkTestMessages.Timeout))!.Value));
        Assert.Equal(6, seen.Count);
        Assert.Equal((LinkDirection.Outbound, 99ul), seen[^1]);
        // Every DATA frame is acknowledged (§6.6.2).
        await Eventually.WaitUntil(() => client.AcksReceived == 5, "five ACKs", LinkTestMessages.Timeout);
    }

    [Theory]
    [InlineData("ecdsa", System.Security.Authentication.SslProtocols.Tls12, "Tls12")]
    [InlineData("ecdsa", System.Security.Authentication.SslProtocols.Tls13, "Tls13")]
    [InlineData("rsa", System.Security.Authentication.SslProtocols.Tls12, "Tls12")]
    [InlineData("rsa", System.Security.Authentication.SslProtocols.Tls13, "Tls13")]
    public async Task Handshakes_with_TLS_1_2_and_1_3_and_both_key_types(string key, System.Security.Authentication.SslProtocols version, string negotiated)
    {
        var server = key == "rsa" ? Pki.Carol : Pki.Bob;
        await using var listener = new TlsLinkListener(new IPEndPoint(IPAddress.Loopback, 0), As(server));
        var accepting = listener.AcceptAsync();
        await using var client = await TlsLinks.ConnectAsync(listener.LocalEndpoint, As(key == "rsa" ? Pki.Carol : Pki.Alice), server.NodeId, versions: version);
        await using var accepted = await accepting.WaitAsync(LinkTestMessages.Timeout);
        Assert.Equal(negotiated, client.TlsVersion);
        Assert.Equal(negotiated, accepted.TlsVersion);
        await client.SendAsync(LinkTestMessages.Numbered(5));
        Assert.Equal(5ul, LinkTestMessages.TransactionId((await accepted.ReceiveAsync().WaitAsync(LinkTestMessages.Timeout))!.Value));
    }

    [Fact]
    public async Task Closing_one_end_ends_the_other()
    {
        await using var listener = new TlsLinkListener(new IPEndPoint(IPAddress.Loopback, 0), As(Pki.Bob));
        var accepting = listener.AcceptAsync();
        var client = await TlsLinks.ConnectAsync(listener.LocalEndpoint, As(Pki.Alice));
        await using var server = await accepting.WaitAsync(LinkTestMessages.Timeout);
        await client.DisposeAsync();
        Assert.Null(await server.ReceiveAsync().WaitAsync(LinkTestMessages.Timeout));
    }

    [Fact]
    public async Task The_tap_may_change_and_drop_messages()
    {
        await using var listener = new TlsLinkListener(new IPEndPoint(IPAddress.Loopback, 0), As(Pki.Bob));
        var accepting = listener.AcceptAsync();
        await using var client = await TlsLinks.ConnectAsync(listener.LocalEndpoint, As(Pki.Alice));
        await using var server = await accepting.WaitAsync(LinkTestMessages.Timeout);
        client.Tap = (direction, message) => LinkTestMessages.TransactionId(message) switch
        {
            1 => null,
            2 => LinkTestMessages.Numbered(42),
            _ => message,
        };
        for (int i = 0; i < 4; i++) await client.SendAsync(LinkTestMessages.Numbered(i));
        var ids = new List<ulong>();
        for (int i = 0; i < 3; i++) ids.Add(LinkTestMessages.TransactionId((await server.ReceiveAsync().WaitAsync(LinkTestMessages.Timeout))!.Value));
        Assert.Equal([0ul, 42ul, 3ul], ids);
    }

    [Theory]
    [InlineData("client-none", "no certificate")]
    [InlineData("client-self-signed", "self-signed")]
    [InlineData("client-other-ca", "another CA")]
    [InlineData("client-expired", "expired")]
    [InlineData("server-self-signed", "self-signed")]
    [InlineData("server-other-ca", "another CA")]
    [InlineData("server-expired", "expired")]
    [InlineData("server-wrong-node-id", "does not carry the expected Node-ID")]
    public async Task Refuses_bad_certificates_and_logs_why(string kind, string words)
    {
        var log = new List<string>();
        var parts = kind.Split('-', 2);
        Identity? bad = parts[1] switch
        {
            "none" => null,
            "self-signed" => Pki.SelfSigned,
            "other-ca" => Pki.FromOtherCa,
            "expired" => Pki.Expired,
            _ => Pki.Bob,
        };
        bool serverIsBad = parts[0] == "server";
        await using var listener = new TlsLinkListener(new IPEndPoint(IPAddress.Loopback, 0), As(serverIsBad ? bad : Pki.Bob, log));
        var accepting = listener.AcceptAsync();
        var connecting = TlsLinks.ConnectAsync(listener.LocalEndpoint, As(serverIsBad ? Pki.Alice : bad, log),
            expectedNodeId: parts[1] == "wrong-node-id" ? (P2psip.Wire.Opaque?)Pki.Carol.NodeId : null);
        if (serverIsBad)
        {
            var e = await Assert.ThrowsAsync<LinkRefusedException>(() => connecting.WaitAsync(LinkTestMessages.Timeout));
            Assert.Contains(words, e.Reason);
        }
        else
        {
            // The server refuses; with TLS 1.3 the client may learn of it only when it reads.
            var e = await Assert.ThrowsAsync<LinkRefusedException>(() => accepting.WaitAsync(LinkTestMessages.Timeout));
            Assert.Contains(words, e.Reason);
            try
            {
                await using var link = await connecting.WaitAsync(LinkTestMessages.Timeout);
                Assert.Null(await link.ReceiveAsync().WaitAsync(LinkTestMessages.Timeout));
            }
            catch (LinkRefusedException) { }
        }
        Assert.Contains(log, line => line.Contains(words, StringComparison.Ordinal));
    }
}
