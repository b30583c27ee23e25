using System.Net;
using P2psip.Links;
using P2psip.Links.Dtls;
using P2psip.Security;
using P2psip.Tests.Security;

namespace P2psip.Tests.Links;

[Trait("Category", TestCategory.Live)]
public class DtlsLinkTests
{
    private static readonly TestPki Pki = TestPki.Shared;
    // Loopback: a short RTO is allowed when all nodes are local (§6.6.3.1).
    internal static readonly DtlsLinkOptions Fast = new() { Rto = TimeSpan.FromMilliseconds(60), AckToNextMessage = TimeSpan.FromMilliseconds(1) };

    private static LinkSecurity As(Identity? who, List<string>? log = null) =>
        new(who, Pki.Validator) { Log = log is null ? null : line => { lock (log) log.Add(line); } };

    [Fact]
    public async Task Handshake_between_two_enrolled_identities_carries_messages_both_ways()
    {
        await using var listener = new DtlsLinkListener(new IPEndPoint(IPAddress.Loopback, 0), As(Pki.Bob), Fast);
        await using var client = await DtlsLinks.ConnectAsync(listener.LocalEndpoint, As(Pki.Alice), Pki.Bob.NodeId, Fast).WaitAsync(LinkTestMessages.Timeout);
        await using var server = await listener.AcceptAsync().WaitAsync(LinkTestMessages.Timeout);
        Assert.Equal("DTLS-UDP-SR-NO-ICE", client.Protocol);
        Assert.Equal(Pki.Bob.NodeId, client.PeerNodeId);
        Assert.Equal(Pki.Alice.NodeId, server.PeerNodeId);
        var seen = new List<(LinkDirection, ulong)>();
        client.Tap = (d, m) => { lock (seen) seen.Add((d, LinkTestMessages.TransactionId(m))); return m; };
        for (int i = 0; i < 3; i++) await client.SendAsync(LinkTestMessages.Numbered(i)).WaitAsync(LinkTestMessages.Timeout);
        Assert.Equal([0ul, 1ul, 2ul], await ReceiveDistinct(server, 3));
        await server.SendAsync(LinkTestMessages.Numbered(7)).WaitAsync(LinkTestMessages.Timeout);
        Assert.Equal(7ul, LinkTestMessages.TransactionId((await client.ReceiveAsync().WaitAsync(LinkTestMessages.Timeout))!.Value));
        // The tap sees each message once per direction (a late ACK on a loaded machine may bring a duplicate of 7).
        Assert.Equal([(LinkDirection.Outbound, 0ul), (LinkDirection.Outbound, 1ul), (LinkDirection.Outbound, 2ul), (LinkDirection.Inbound, 7ul)], seen.Distinct());
        Assert.True(client.Transmissions >= 3);
    }

    /// <summary>
    /// Receives <paramref name="count"/> distinct messages: a retransmission whose ACK was lost (or
    /// came after the RTO, on a loaded machine) arrives twice, back to back; the transaction layer drops it.
    /// </summary>
    private static async Task<List<ulong>> ReceiveDistinct(IOverlayLink link, int count)
    {
        var received = new List<ulong>();
        while (received.Count < count)
        {
            var id = LinkTestMessages.TransactionId((await link.ReceiveAsync().WaitAsync(LinkTestMessages.Timeout))!.Value);
            if (received.Count == 0 || received[^1] != id) received.Add(id);
        }
        return received;
    }

    [Fact]
    public async Task Closing_one_end_ends_the_other()
    {
        await using var listener = new DtlsLinkListener(new IPEndPoint(IPAddress.Loopback, 0), As(Pki.Bob), Fast);
        var client = await DtlsLinks.ConnectAsync(listener.LocalEndpoint, As(Pki.Alice), null, Fast).WaitAsync(LinkTestMessages.Timeout);
        await using var server = await listener.AcceptAsync().WaitAsync(LinkTestMessages.Timeout);
        await client.DisposeAsync(); // sends close_notify
        Assert.Null(await server.ReceiveAsync().WaitAsync(LinkTestMessages.Timeout));
        await Assert.ThrowsAsync<LinkFailedException>(() => server.SendAsync(LinkTestMessages.Numbered(1)).WaitAsync(LinkTestMessages.Timeout));
    }

    [Fact]
    public async Task Handshake_with_RSA_identities()
    {
        await using var listener = new DtlsLinkListener(new IPEndPoint(IPAddress.Loopback, 0), As(Pki.Carol), Fast);
        await using var client = await DtlsLinks.ConnectAsync(listener.LocalEndpoint, As(Pki.Carol), Pki.Carol.NodeId, Fast).WaitAsync(LinkTestMessages.Timeout);
        await using var server = await listener.AcceptAsync().WaitAsync(LinkTestMessages.Timeout);
        Assert.Equal(Pki.Carol.NodeId, server.PeerNodeId);
        await client.SendAsync(LinkTestMessages.Numbered(9)).WaitAsync(LinkTestMessages.Timeout);
        Assert.Equal([9ul], await ReceiveDistinct(server, 1));
    }

    [Fact]
    public async Task Delivers_every_message_in_order_with_20_percent_of_datagrams_dropped()
    {
        await using var listener = new DtlsLinkListener(new IPEndPoint(IPAddress.Loopback, 0), As(Pki.Bob), Fast with { MaxTransmissions = 10 });
        await using var client = await DtlsLinks.ConnectAsync(listener.LocalEndpoint, As(Pki.Alice), null, Fast with { MaxTransmissions = 10 }).WaitAsync(LinkTestMessages.Timeout);
        await using var server = await listener.AcceptAsync().WaitAsync(LinkTestMessages.Timeout);
        // A seeded tap on each end drops 20% of the datagrams, both ways, after the handshake.
        int dropped = 0, seenDatagrams = 0;
        LinkTap Lossy(int seed)
        {
            var random = new Random(seed);
            return (_, datagram) =>
            {
                Interlocked.Increment(ref seenDatagrams);
                lock (random)
                {
                    if (random.NextDouble() >= 0.2) return datagram;
                }
                Interlocked.Increment(ref dropped);
                return null;
            };
        }
        client.DatagramTap = Lossy(6940);
        server.DatagramTap = Lossy(6084);
        const int count = 30;
        var sending = Task.Run(async () =>
        {
            for (int i = 0; i < count; i++) await client.SendAsync(LinkTestMessages.Numbered(i));
        });
        var received = await ReceiveDistinct(server, count);
        await sending.WaitAsync(LinkTestMessages.Timeout);
        Assert.Equal(Enumerable.Range(0, count).Select(i => (ulong)i), received);
        Assert.True(dropped > 0, "the tap dropped nothing");
        Assert.True(client.Transmissions > count, "no retransmission happened");
    }

    [Trait("Category", TestCategory.Long)]
    [Fact]
    public async Task Handshakes_and_delivers_with_20_percent_of_datagrams_dropped_from_the_first_one()
    {
        int dropped = 0;
        LinkTap Lossy(int seed)
        {
            var random = new Random(seed);
            return (_, datagram) =>
            {
                lock (random)
                    if (random.NextDouble() >= 0.2) return datagram;
                Interlocked.Increment(ref dropped);
                return null;
            };
        }
        var timeout = TimeSpan.FromSeconds(60);
        // BouncyCastle's handshake retransmits after 1, 2, 4, 8... s: with a fifth of the flights lost
        // both ways, two losses of one flight already take 15 s (the default bound; seen in CI), so
        // the handshake gets 45 s here.
        var lossy = Fast with { MaxTransmissions = 10, HandshakeTimeoutMillis = 45_000 };
        await using var listener = new DtlsLinkListener(new IPEndPoint(IPAddress.Loopback, 0), As(Pki.Bob), lossy with { DatagramTap = Lossy(11) });
        await using var client = await DtlsLinks.ConnectAsync(listener.LocalEndpoint, As(Pki.Alice), Pki.Bob.NodeId,
            lossy with { DatagramTap = Lossy(12) }).WaitAsync(timeout);
        await using var server = await listener.AcceptAsync().WaitAsync(timeout);
        var sending = Task.Run(async () =>
        {
            for (int i = 0; i < 10; i++) await client.SendAsync(LinkTestMessages.Numbered(i));
        });
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (ulong)i), await ReceiveDistinct(server, 10));
        await sending.WaitAsync(timeout);
        Assert.True(dropped > 0, "the tap dropped nothing");
    }

    [Fact]
    public async Task Gives_up_after_the_last_retransmission()
    {
        await using var listener = new DtlsLinkListener(new IPEndPoint(IPAddress.Loopback, 0), As(Pki.Bob), Fast);
        await using var client = await DtlsLinks.ConnectAsync(listener.LocalEndpoint, As(Pki.Alice), null, Fast with { MaxTransmissions = 3 }).WaitAsync(LinkTestMessages.Timeout);
        await using var server = await listener.AcceptAsync().WaitAsync(LinkTestMessages.Timeout);
        client.DatagramTap = (d, m) => d == LinkDirection.Outbound ? null : m;
        var e = await Assert.ThrowsAsync<LinkFailedException>(() => client.SendAsync(LinkTestMessages.Numbered(1)).WaitAsync(LinkTestMessages.Timeout));
        Assert.Contains("no ACK after 3 transmissions", e.Message);
        Assert.Equal(3, client.Transmissions);
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
        var options = Fast with { HandshakeTimeoutMillis = 3000 };
        await using var listener = new DtlsLinkListener(new IPEndPoint(IPAddress.Loopback, 0), As(serverIsBad ? bad : Pki.Bob, log), options);
        var connecting = DtlsLinks.ConnectAsync(listener.LocalEndpoint, As(serverIsBad ? Pki.Alice : bad, log),
            parts[1] == "wrong-node-id" ? (P2psip.Wire.Opaque?)Pki.Carol.NodeId : null, options);
        var clientError = await Assert.ThrowsAsync<LinkRefusedException>(() => connecting.WaitAsync(LinkTestMessages.Timeout));
        if (serverIsBad)
            Assert.Contains(words, clientError.Reason);
        else
        {
            var serverError = await Assert.ThrowsAsync<LinkRefusedException>(() => listener.AcceptAsync().WaitAsync(LinkTestMessages.Timeout));
            Assert.Contains(words, serverError.Reason);
            Assert.Contains("bad_certificate", clientError.Reason);
        }
        Assert.Contains(log, line => line.Contains(words, StringComparison.Ordinal));
    }
}
