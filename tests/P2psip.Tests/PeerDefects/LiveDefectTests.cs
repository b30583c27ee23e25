using P2psip.Messages;
using P2psip.Messages.Link;
using P2psip.Overlay;
using P2psip.Peer;
using P2psip.Peer.Live;
using P2psip.Security;
using P2psip.Tests.LivePeer;
using P2psip.Wire;

namespace P2psip.Tests.PeerDefects;

/// <summary>Issue 11, defects 6, 7 and 9, on live peers over loopback.</summary>
public class LiveDefectTests
{
    /// <summary>Defect 6 (§11.1 bad-node): a link from a Node-ID the configuration lists as a bad-node is refused.</summary>
    [Fact]
    public async Task ALinkFromABadNodeIsRefused()
    {
        var overlay = new LiveOverlay(2);
        var bad = overlay.Identities[1];
        var configuration = overlay.Configuration with { BadNodes = [bad.NodeId.ToHex()] };
        await using var peer = P2psip.Peer.Live.LivePeer.Create(new LivePeerOptions { Configuration = configuration, Identity = overlay.Identities[0] });
        await peer.StartAsync();
        LiveLinkClient? client = null;
        try
        {
            try { client = await LiveLinkClient.ConnectAsync(peer, bad); }
            catch (P2psip.Links.LinkRefusedException) { }
            catch (IOException) { }
            // Whatever the client saw of the handshake, the peer must not hold a link to the bad node.
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(3);
            while (DateTime.UtcNow < deadline && !peer.Links.Links.Any(l => l.RemoteNodeId == bad.NodeId)) await Task.Delay(20);
            Assert.DoesNotContain(peer.Links.Links, l => l.RemoteNodeId == bad.NodeId);
        }
        finally
        {
            if (client is not null) await client.DisposeAsync();
        }
    }

    /// <summary>
    /// Defect 6 (§11.1 self-signed-permitted, §11.3.1): with self-signed certificates permitted, one
    /// whose Node-ID is the digest of its public key is accepted; one claiming another Node-ID is not.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task SelfSignedCertificatesAreAcceptedWhenTheConfigurationPermitsThem(bool nodeIdMatchesKey)
    {
        var overlay = new LiveOverlay(1);
        var configuration = overlay.Configuration with { SelfSignedPermitted = true, SelfSignedDigest = "sha256" };
        await using var peer = P2psip.Peer.Live.LivePeer.Create(new LivePeerOptions { Configuration = configuration, Identity = overlay.Identities[0] });
        await peer.StartAsync();
        var keys = KeyPairs.Generate(KeyAlgorithm.EcdsaP256);
        var self = SelfSignedCredentials.Create(keys, "sybil@" + LiveOverlay.Name, LiveOverlay.Name, "sha256");
        if (!nodeIdMatchesKey)
        {
            var stolen = overlay.Identities[0].NodeId;
            self = SelfSignedCredentials.Create(keys, "sybil@" + LiveOverlay.Name, LiveOverlay.Name, "sha256", claimedNodeId: stolen);
        }
        LiveLinkClient? client = null;
        try
        {
            try { client = await LiveLinkClient.ConnectAsync(peer, self); }
            catch (P2psip.Links.LinkRefusedException) { }
            catch (IOException) { }
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(nodeIdMatchesKey ? 10 : 3);
            while (DateTime.UtcNow < deadline && !peer.Links.Links.Any(l => l.RemoteNodeId == self.NodeId)) await Task.Delay(20);
            Assert.Equal(nodeIdMatchesKey, peer.Links.Links.Any(l => l.RemoteNodeId == self.NodeId));
        }
        finally
        {
            if (client is not null) await client.DisposeAsync();
        }
    }

    /// <summary>
    /// Defect 7: a live peer draws transaction ids and Attach credentials from a cryptographic source,
    /// not System.Random; the simulator keeps its seeded generator, so a seed still replays a run.
    /// </summary>
    [Fact]
    public async Task LivePeersDrawRandomnessFromACryptographicSource()
    {
        var overlay = new LiveOverlay(1);
        await using var peer = P2psip.Peer.Live.LivePeer.Create(new LivePeerOptions { Configuration = overlay.Configuration, Identity = overlay.Identities[0] });
        Assert.NotEqual(typeof(Random), peer.Peer.Options.Random.GetType());
        Assert.True(peer.Peer.Options.Random is CryptographicRandom);

        // Same seed, same transaction ids in the simulator.
        static List<ulong> Ids(int seed)
        {
            var ring = Peer.RingConvergenceTests.Ring(2, seed);
            var ids = new List<ulong>();
            ring.Network.Intercept = (_, _, bytes) =>
            {
                if (ReloadCodec.DecodeCopy(bytes.Span) is { IsSuccess: true } d) ids.Add(d.Value.Header.TransactionId);
                return bytes;
            };
            ring.Lookups(5);
            return ids;
        }
        Assert.Equal(Ids(11), Ids(11));
    }

    /// <summary>
    /// Defect 9 (§6.5.1.1, §6.6): the Attach candidate names the link layer's own protocol:
    /// DTLS-UDP-SR-NO-ICE on DTLS, and on the INSECURE plaintext layer not a TLS protocol.
    /// </summary>
    [Theory]
    [InlineData(LinkTransport.Tls, OverlayLinkType.TlsTcpFhNoIce)]
    [InlineData(LinkTransport.Dtls, OverlayLinkType.DtlsUdpSrNoIce)]
    [InlineData(LinkTransport.InsecureTcp, OverlayLinkType.ExpLink)]
    public async Task TheAttachCandidateNamesTheLinkLayersProtocol(LinkTransport transport, byte expected)
    {
        var overlay = new LiveOverlay(2);
        var defences = transport == LinkTransport.InsecureTcp ? DefenceSwitches.AllOn.Disable(DefenceSwitches.TlsOnly) : DefenceSwitches.AllOn;
        await using var peer = P2psip.Peer.Live.LivePeer.Create(new LivePeerOptions
        {
            Configuration = overlay.Configuration, Identity = overlay.Identities[0], Transport = transport, Defences = defences,
        });
        await peer.StartAsync();
        await using var client = await LiveLinkClient.ConnectAsync(peer, overlay.Identities[1]);
        var candidate = IceCandidate.Host(peer.Address, expected, Opaque.Utf8("1"), 1);
        var answer = await client.AskAsync(5, new AttachReq(new byte[8], new byte[16], Opaque.Utf8("passive"), [candidate], false));
        var attach = Assert.IsType<AttachAns>(answer.Body);
        Assert.All(attach.Candidates, c => Assert.Equal(expected, c.OverlayLink));
    }
}
