using System.Diagnostics;
using P2psip.Messages;
using P2psip.Messages.Storage;
using P2psip.Peer.Storage;
using P2psip.Tests.PeerStorage;
using Xunit.Abstractions;

namespace P2psip.Tests.LivePeer;

/// <summary>An 8-peer ring over TLS on 127.0.0.1, shared by the tests of this class.</summary>
public sealed class LiveRingFixture : IAsyncLifetime
{
    public LiveOverlay Overlay { get; } = new(10);
    public List<P2psip.Peer.Live.LivePeer> Peers { get; private set; } = [];
    public TimeSpan BuildTime { get; private set; }

    public async Task InitializeAsync()
    {
        var watch = Stopwatch.StartNew();
        Peers = await Overlay.RingAsync(8);
        await LiveOverlay.ConvergedAsync(Peers, TimeSpan.FromSeconds(20));
        BuildTime = watch.Elapsed;
    }

    public Task DisposeAsync()
    {
        foreach (var peer in Peers) peer.Crash();
        return Task.CompletedTask;
    }
}

/// <summary>Issue 4's live tests: the ring forms over TLS, SIP works end to end, access control refuses non-owners.</summary>
[Trait("Category", TestCategory.Live)]
public class LiveRingTests(LiveRingFixture ring, ITestOutputHelper output) : IClassFixture<LiveRingFixture>
{
    [Fact]
    public void EightPeersOverTlsAgreeOnSuccessors()
    {
        output.WriteLine($"ring of {ring.Peers.Count} built and converged in {ring.BuildTime.TotalSeconds:F1} s");
        foreach (var peer in ring.Peers) output.WriteLine(peer.Peer.Snapshot().ToString());
        Assert.True(LiveOverlay.Converged(ring.Peers), "every peer's first successor and predecessor are its ring neighbours");
        Assert.All(ring.Peers, p => Assert.Equal(P2psip.Peer.PeerState.Joined, p.Peer.State));
    }

    [Fact]
    public async Task SipRegisterOnOnePeerIsFoundFromEveryOther()
    {
        var registrar = ring.Peers[3];
        var aor = "sip:" + registrar.Options.Identity.UserName;
        var stored = await registrar.RegisterAsync(aor, "sip:user3@127.0.0.1:5060").WaitAsync(TimeSpan.FromSeconds(20));
        Assert.IsType<StoreAns>(stored.Body);
        foreach (var peer in ring.Peers.Where(p => p != registrar))
        {
            var (contacts, outcome) = await peer.LookupAsync(aor).WaitAsync(TimeSpan.FromSeconds(20));
            Assert.False(outcome.IsError, outcome.ToString());
            var contact = Assert.Single(contacts);
            Assert.Equal("sip:user3@127.0.0.1:5060", contact.Uri);
            Assert.Equal(registrar.NodeId, contact.NodeId);
        }
        // Nobody is registered at another user's AOR.
        var (none, _) = await ring.Peers[0].LookupAsync("sip:nobody@" + LiveOverlay.Name).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Empty(none);
    }

    private async Task<MessageBody> Store(P2psip.Peer.Live.LivePeer from, StoreReq request) =>
        (await from.Peer.RequestResourceAsync(request.Resource, request).WaitAsync(TimeSpan.FromSeconds(20))).Body;

    private static void Accepted(MessageBody answer) =>
        Assert.True(answer is StoreAns, answer is ErrorResponse e ? $"{e.ErrorCode}: {System.Text.Encoding.UTF8.GetString(e.ErrorInfo.Span)}" : answer.ToString());

    private static void Forbidden(MessageBody answer)
    {
        var error = Assert.IsType<ErrorResponse>(answer);
        Assert.Equal(ErrorCodes.Forbidden, error.ErrorCode);
    }

    [Fact]
    public async Task EachAccessControlPolicyAcceptsItsOwnerAndRefusesOthersEndToEnd()
    {
        var owner = ring.Peers[1];
        var other = ring.Peers[5];
        var o = owner.Options.Identity;
        var x = other.Options.Identity;
        var now = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        // USER-MATCH (CERTIFICATE_BY_USER): the hash of the storer's user name.
        var userResource = AccessControl.UserResourceId(KindRegistry.CertificateByUser, o.UserName!);
        Accepted(await Store(owner, StorageKit.StoreOf(userResource, KindRegistry.CertificateByUser,
            StorageKit.Signed(o, userResource, KindRegistry.CertificateByUser, StorageKit.Element(ArrayEntry.Append, "mine"), now))));
        Forbidden(await Store(other, StorageKit.StoreOf(userResource, KindRegistry.CertificateByUser,
            StorageKit.Signed(x, userResource, KindRegistry.CertificateByUser, StorageKit.Element(ArrayEntry.Append, "theirs"), now + 1))));

        // NODE-MATCH (CERTIFICATE_BY_NODE): the hash of the storer's Node-ID.
        var nodeResource = OverlayHash.ResourceId(o.NodeId.Span);
        Accepted(await Store(owner, StorageKit.StoreOf(nodeResource, KindRegistry.CertificateByNode,
            StorageKit.Signed(o, nodeResource, KindRegistry.CertificateByNode, StorageKit.Element(ArrayEntry.Append, "mine"), now))));
        Forbidden(await Store(other, StorageKit.StoreOf(nodeResource, KindRegistry.CertificateByNode,
            StorageKit.Signed(x, nodeResource, KindRegistry.CertificateByNode, StorageKit.Element(0, "theirs"), now + 1))));

        // USER-NODE-MATCH (SIP-REGISTRATION): the user's AOR, keyed by the storer's Node-ID.
        var aor = "sip:" + o.UserName;
        Accepted((await owner.RegisterAsync(aor, "sip:owner@127.0.0.1")).Body);
        var sipResource = SipUsage.ResourceIdOf(aor);
        Forbidden(await Store(other, StorageKit.StoreOf(sipResource, KindRegistry.SipRegistration,
            StorageKit.Signed(x, sipResource, KindRegistry.SipRegistration, StorageKit.Entry(x.NodeId, "sip:thief@127.0.0.1"), now + 1))));

        // NODE-MULTIPLE (a private Kind, max-node-multiple 3): hash(Node-ID || i).
        var multiple = AccessControl.NodeMultipleResourceId(o.NodeId, 1);
        Accepted(await Store(owner, StorageKit.StoreOf(multiple, StorageKit.PrivateMultiple,
            StorageKit.Signed(o, multiple, StorageKit.PrivateMultiple, StorageKit.Entry(o.NodeId, "mine"), now))));
        Forbidden(await Store(other, StorageKit.StoreOf(multiple, StorageKit.PrivateMultiple,
            StorageKit.Signed(x, multiple, StorageKit.PrivateMultiple, StorageKit.Entry(x.NodeId, "theirs"), now + 1))));
    }
}
