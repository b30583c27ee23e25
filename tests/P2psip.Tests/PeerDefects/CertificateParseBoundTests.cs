using P2psip.Messages;
using P2psip.Messages.Link;
using P2psip.Security;
using P2psip.Tests.Peer;
using P2psip.Wire;

namespace P2psip.Tests.PeerDefects;

/// <summary>Issue 11, resource bounds: a bucket's certificates are parsed once per distinct DER, not for every message.</summary>
[Collection(SerialParseCount.Name)]
public class CertificateParseBoundTests
{
    [Fact]
    public void AFloodOfSignedMessagesParsesTheSignersCertificateOnce()
    {
        var ring = RingConvergenceTests.Ring(3, seed: 901, signatures: true);
        var a = ring.Live.First();
        // An identity of the ring's own CA: signed rings check signers against it.
        var bob = ring.Issue("bob@" + ring.Configuration.InstanceName, P2psip.Tests.Security.TestPki.Shared.Bob.NodeId);
        var x = new RawNode(ring, bob.NodeId, bob) { Keep = false };
        x.ConnectTo(a);
        ring.RunFor(TimeSpan.FromSeconds(1));
        long before = ReloadCertificate.Parsed;
        for (int i = 0; i < 500; i++) x.Send(x.Request(40_000 + (ulong)i, new NodeDestination(a.NodeId), new PingReq(Opaque.Empty)));
        ring.RunFor(TimeSpan.FromSeconds(2));
        Assert.True(x.ReceivedCount >= 500, $"{x.ReceivedCount} answers");
        // Alone in its collection, so other tests' parses do not count; a few misses for the ring's own certificates.
        Assert.True(ReloadCertificate.Parsed - before < 100, $"{ReloadCertificate.Parsed - before} parses for 500 messages");
    }

    [Fact]
    public void TheCacheIsBounded()
    {
        var junk = new Random(5);
        for (int i = 0; i < CertificateParseCache.Capacity * 2; i++)
        {
            var der = new byte[40];
            junk.NextBytes(der);
            Assert.Null(CertificateParseCache.Get(der));
        }
        Assert.InRange(CertificateParseCache.Count, 0, CertificateParseCache.Capacity);
    }
}

/// <summary>Runs its tests with no other test class in parallel: they count a process-wide number.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialParseCount
{
    public const string Name = "serial: certificate parse count";
}
