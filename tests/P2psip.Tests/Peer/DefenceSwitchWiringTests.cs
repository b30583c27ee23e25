using P2psip.Messages;
using P2psip.Messages.Chord;
using P2psip.Messages.Link;
using P2psip.Messages.Topology;
using P2psip.Peer;
using P2psip.Peer.Chord;
using P2psip.Links;
using P2psip.Peer.Live;
using P2psip.Security;
using P2psip.Tests.LivePeer;
using P2psip.Wire;

namespace P2psip.Tests.Peer;

/// <summary>
/// The defences wired to the transport and the link layers (rate-limits, certificate-validation,
/// tls-only), each shown on and then switched off.
/// </summary>
public class DefenceSwitchWiringTests
{
    /// <summary>§10.7.2 (UN-5): a flood of Updates over one link is cut to the bucket's worth.</summary>
    [Trait("Category", TestCategory.Long)]
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void AnUpdateFloodOverOneLinkIsRateLimited(bool defenceOn)
    {
        var ring = RingConvergenceTests.Ring(8, seed: 31, signatures: true, defenceOn ? [] : [DefenceSwitches.RateLimits]);
        var a = ring.Live.First();
        var x = DefenceTests.SignedRawNode(ring, a.Self.Add(UInt128.One << 127).Add(7).ToOpaque());
        x.ConnectTo(a);
        long before = a.Transport.RateLimited;
        const int flood = 1000;
        for (int i = 0; i < flood; i++)
            x.Send(x.Request(10_000 + (ulong)i, new NodeDestination(a.NodeId), new UpdateReq(new PeerReadyUpdate(1))));
        ring.RunFor(TimeSpan.FromSeconds(1));
        long limited = a.Transport.RateLimited - before;
        long answered = x.Received.Count(m => m.Header.TransactionId >= 10_000 && m.Header.TransactionId < 10_000 + flood && !MessageCodes.IsRequest(m.MessageCode));
        if (defenceOn)
        {
            Assert.True(flood - limited <= 60, $"{flood - limited} Updates processed, more than the bucket's 40 + 20/s");
            Assert.True(answered <= 60, $"{answered} answered");
        }
        else
        {
            Assert.Equal(0, limited);
            Assert.Equal(flood, answered);
        }
    }

    /// <summary>§13.3 (TR-1b, TR-3): a client whose certificate another CA issued is refused, unless certificate-validation is off.</summary>
    [Trait("Category", TestCategory.Live)]
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ALinkFromAnotherCaIsRefusedUnlessValidationIsOff(bool defenceOn)
    {
        var overlay = new LiveOverlay(1);
        var rogueCa = EnrollmentAuthority.Create(LiveOverlay.Name, maxNodesPerUser: 10);
        var keys = KeyPairs.Generate(KeyAlgorithm.EcdsaP256);
        var rogueNodeId = new byte[16];
        Random.Shared.NextBytes(rogueNodeId);
        var rogue = new Identity(keys, rogueCa.Issue(keys.Public, "rogue@" + LiveOverlay.Name, [rogueNodeId], DateTime.UtcNow.AddDays(-1), DateTime.UtcNow.AddDays(30)));
        var log = new List<string>();
        await using var peer = P2psip.Peer.Live.LivePeer.Create(new LivePeerOptions
        {
            Configuration = overlay.Configuration,
            Identity = overlay.Identities[0],
            Defences = defenceOn ? DefenceSwitches.AllOn : DefenceSwitches.AllOn.Disable(DefenceSwitches.CertificateValidation),
            Log = line => { lock (log) log.Add(line); },
        });
        await peer.StartAsync();
        // The client trusts the overlay's root, so the peer's own certificate passes its check.
        var security = new LinkSecurity(rogue, P2psip.Peer.Live.LivePeer.ValidatorFor(overlay.Configuration));
        StreamLink? client = null;
        try
        {
            try { client = await TlsLinks.ConnectAsync(peer.Address.ToEndPoint()!, security, expectedNodeId: peer.NodeId); }
            catch (LinkRefusedException) { Assert.True(defenceOn, "refused with certificate-validation off"); }
            bool accepted = false, refused = false;
            await Eventually.Holds(() =>
            {
                accepted = peer.Links.Links.Any(l => l.RemoteNodeId == (Opaque)rogueNodeId);
                lock (log) refused = log.Any(line => line.Contains("another CA", StringComparison.Ordinal));
                return accepted || refused;
            });
            Assert.Equal(defenceOn, refused);
            Assert.Equal(!defenceOn, accepted);
        }
        finally
        {
            if (client is not null) await client.DisposeAsync();
        }
    }

    /// <summary>
    /// §6.6 (TR-1a): with tls-only on, the INSECURE plaintext transport cannot be chosen and a running
    /// peer refuses a plaintext connection (the same framed, signed Ping gets no answer); with it off,
    /// the peer listens in plaintext and answers that Ping.
    /// </summary>
    [Trait("Category", TestCategory.Live)]
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task APlaintextConnectionIsRefusedUnlessTlsOnlyIsOff(bool defenceOn)
    {
        var overlay = new LiveOverlay(2);
        var log = new List<string>();
        var options = new LivePeerOptions
        {
            Configuration = overlay.Configuration,
            Identity = overlay.Identities[0],
            Transport = LinkTransport.InsecureTcp,
            Defences = defenceOn ? DefenceSwitches.AllOn : DefenceSwitches.AllOn.Disable(DefenceSwitches.TlsOnly),
            Log = line => { lock (log) log.Add(line); },
        };
        if (defenceOn)
        {
            var e = Assert.Throws<ArgumentException>(() => P2psip.Peer.Live.LivePeer.Create(options));
            Assert.Contains("INSECURE", e.Message);
            options = options with { Transport = LinkTransport.Tls };
        }
        await using var peer = P2psip.Peer.Live.LivePeer.Create(options);
        Assert.Equal(!defenceOn, peer.StartupReport().Any(line => line.Contains("INSECURE", StringComparison.Ordinal)));
        await peer.StartAsync();
        var caller = overlay.Identities[1];
        // The client names itself first in the Via List: the plaintext link itself proves no Node-ID.
        var ping = MessageSigner.Sign(new ReloadMessage(new ForwardingHeader
        {
            Overlay = P2psip.Peer.Transport.MessageTransport.OverlayHash(LiveOverlay.Name),
            ConfigurationSequence = (ushort)(overlay.Configuration.Sequence ?? 0),
            Ttl = 100,
            TransactionId = 77,
            DestinationList = [new NodeDestination(peer.NodeId)],
            ViaList = [new NodeDestination(caller.NodeId)],
        }, new PingReq(Opaque.Empty)), caller);
        await using var client = await PlaintextLinks.ConnectInsecureAsync(peer.Address.ToEndPoint()!, framed: true);
        ReadOnlyMemory<byte>? answer;
        try
        {
            await client.SendAsync(ReloadCodec.Encode(ping));
            answer = await client.ReceiveAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception e) when (defenceOn && e is IOException or System.Net.Sockets.SocketException or LinkFailedException)
        {
            answer = null; // the TLS listener reset the connection
        }
        if (defenceOn)
        {
            // Closed without an answer, refused by the TLS listener, and no link was made of it.
            Assert.Null(answer);
            await Eventually.WaitUntil(() => { lock (log) return log.Any(l => l.Contains("link refused (server)", StringComparison.Ordinal)); }, "the TLS listener's refusal");
            Assert.Empty(peer.Links.Links);
            return;
        }
        Assert.NotNull(answer);
        var decoded = ReloadCodec.DecodeCopy(answer!.Value.Span);
        Assert.True(decoded.IsSuccess);
        Assert.Equal(77ul, decoded.Value.Header.TransactionId);
        Assert.IsType<PingAns>(decoded.Value.Body);
    }
}
