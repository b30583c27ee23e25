using P2psip.Messages;
using P2psip.Messages.Storage;
using P2psip.Peer.Storage;
using Xunit.Abstractions;

namespace P2psip.Tests.LivePeer;

/// <summary>§10.4: a value stored on the live TLS ring survives the crash of the peer responsible for it (replicas on the two successors).</summary>
[Trait("Category", TestCategory.Live)]
public class LiveReplicaTests(ITestOutputHelper output)
{
    [Fact]
    public async Task AStoreSurvivesTheCrashOfTheResponsiblePeer()
    {
        var overlay = new LiveOverlay(6);
        var peers = await overlay.RingAsync(6);
        try
        {
            Assert.True(await LiveOverlay.ConvergedAsync(peers, TimeSpan.FromSeconds(20)), "the ring converges");
            var registrar = peers[2];
            var aor = "sip:" + registrar.Options.Identity.UserName;
            var stored = await registrar.RegisterAsync(aor, "sip:survivor@127.0.0.1").WaitAsync(TimeSpan.FromSeconds(20));
            Assert.True(stored.Body is StoreAns, stored.ToString());
            var responsible = peers.Single(p => p.NodeId == stored.Responder);
            var replicas = ((StoreAns)stored.Body).KindResponses[0].Replicas;
            output.WriteLine($"stored at {responsible.NodeId.ToHex()}; replicas {string.Join(", ", replicas.Select(r => r.ToHex()))}");
            Assert.Equal(2, replicas.Count);
            // The replica Stores are sent after the answer (§10.4): wait until both successors hold the value.
            var resource = SipUsage.ResourceIdOf(aor);
            await Eventually.WaitUntil(() => replicas.All(r => peers.Single(p => p.NodeId == r).Storage.Engine.ResourceIds.Contains(resource)), "the two replicas");

            responsible.Crash(); // no Leave, no handover
            var survivors = peers.Where(p => p != responsible).ToList();
            Assert.True(await LiveOverlay.ConvergedAsync(survivors, TimeSpan.FromSeconds(30)), "the ring repairs itself");
            var asker = survivors.First(p => p != registrar);
            var (contacts, outcome) = await asker.LookupAsync(aor).WaitAsync(TimeSpan.FromSeconds(20));
            output.WriteLine($"after the crash answered by {outcome.Responder.ToHex()}: {outcome.Body}");
            Assert.NotEqual(responsible.NodeId, outcome.Responder);
            Assert.Equal("sip:survivor@127.0.0.1", Assert.Single(contacts).Uri);
        }
        finally
        {
            foreach (var peer in peers) peer.Crash();
        }
    }
}
