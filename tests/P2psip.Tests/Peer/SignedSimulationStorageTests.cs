using P2psip.Messages;
using P2psip.Messages.Storage;
using P2psip.Peer.Simulation;
using P2psip.Peer.Storage;

namespace P2psip.Tests.Peer;

/// <summary>
/// A signed simulation with the real storage engine: the ring's certificates are valid in virtual
/// time, the clock that both the signature validator (§13.3) and the engine's date check (§7.1) read.
/// </summary>
public class SignedSimulationStorageTests
{
    [Fact]
    public void ASignedRingWithTheRealStorageEngineStoresAndFetchesValues()
    {
        var ring = new SimulatedRing(seed: 83, signatures: true, engineStorage: true);
        ring.Build(6);
        ring.Stabilize();
        // Virtual time is not the wall clock: the check below means something only when they differ by far.
        Assert.True((DateTimeOffset.UtcNow - ring.Scheduler.Now).Duration() > TimeSpan.FromDays(2), "virtual time starts on a fixed date");
        var registrar = ring.Live.ElementAt(2);
        var identity = registrar.Options.Identity!;
        var aor = "sip:" + identity.UserName;

        var stored = RingConvergenceTests.Send(ring, registrar, new ResourceDestination(SipUsage.ResourceIdOf(aor)),
            SipUsage.Register(identity, aor, "sip:sim@127.0.0.1", ring.Scheduler.Now, 3600));
        Assert.True(stored.Body is StoreAns, stored.ToString());

        foreach (var asker in ring.Live.Where(p => p != registrar))
        {
            var fetched = RingConvergenceTests.Send(ring, asker, new ResourceDestination(SipUsage.ResourceIdOf(aor)), SipUsage.Lookup(aor));
            var answer = Assert.IsType<FetchAns>(fetched.Body);
            var contact = Assert.Single(SipUsage.ContactsIn(answer, aor, [identity.Certificate.Der]));
            Assert.Equal("sip:sim@127.0.0.1", contact.Uri);
            Assert.Equal(registrar.NodeId, contact.NodeId);
        }
    }

    [Fact]
    public void TheRingsCertificatesAreValidInVirtualTimeAndCheckedAgainstIt()
    {
        var ring = new SimulatedRing(seed: 89, signatures: true);
        ring.Build(2);
        var certificate = ring.Live.First().Options.Identity!.Certificate;
        var now = ring.Scheduler.Now.UtcDateTime;
        Assert.InRange(now, certificate.Certificate.NotBefore.ToUniversalTime(), certificate.Certificate.NotAfter.ToUniversalTime());
        Assert.True(ring.Validator!.Check(certificate).Accepted);
        // Two years of virtual time later the same certificate has expired for the validator.
        ring.RunFor(TimeSpan.FromDays(730));
        Assert.False(ring.Validator.Check(certificate).Accepted);
    }
}
