using P2psip.Fuzz;
using P2psip.Fuzz.Targets;
using P2psip.Messages;
using P2psip.Messages.Link;
using P2psip.Messages.Storage;
using P2psip.Wire;

namespace P2psip.Tests.Fuzz;

/// <summary>The peer targets (plain and re-signing) run in-process on the ring they build.</summary>
public class PeerTargetTests
{
    private static string Corpus => Path.Combine(RepositoryRoot.Path, "corpus");

    private static ReloadMessage Decode(ReadOnlyMemory<byte> bytes)
    {
        var decoded = ReloadCodec.Decode(bytes);
        Assert.True(decoded.IsSuccess, decoded.IsSuccess ? "" : decoded.Error.ToString());
        return decoded.Value;
    }

    private static List<MessageBody> Answers(PeerTarget target) =>
        target.Ring!.Received.Select(b => Decode(b).Body).ToList();

    [Fact]
    public void A_shaped_ping_seed_reaches_the_target_peer_and_is_answered()
    {
        var ping = File.ReadAllBytes(Path.Combine(Corpus, "ping_req.bin"));
        var (_, shaped) = PeerTarget.Shape(ping).First();
        var target = new PeerTarget(resign: false);
        target.Run(shaped);
        var answer = Assert.Single(Answers(target));
        Assert.IsType<PingAns>(answer);
    }

    [Fact]
    public void Every_corpus_message_but_one_that_cannot_decode_yields_a_seed()
    {
        var dir = Directory.CreateTempSubdirectory("p2psip-peer-seeds-");
        try
        {
            int written = SeedWriter.Write(new PeerTarget(resign: false), dir.FullName, Corpus);
            Assert.True(written >= Directory.GetFiles(Corpus, "*.bin").Length, $"{written} seeds");
            Assert.False(Directory.Exists(dir.FullName + ".crashing"));
        }
        finally { dir.Delete(recursive: true); }
    }

    /// <summary>The harness's own certificate Store, addressed to the responsible peer, with a changed lifetime:
    /// the StoredData signature still holds (it does not cover the lifetime, §7.1) but the message signature does not.</summary>
    private static byte[] MutatedStore()
    {
        var (_, seed) = PeerTarget.BuiltIn().First(s => s.Name.EndsWith(".routed", StringComparison.Ordinal));
        var message = Decode(seed);
        var store = Assert.IsType<StoreReq>(message.Body);
        var kind = store.KindData[0];
        var mutated = store with { KindData = [kind with { Values = [kind.Values[0] with { Lifetime = kind.Values[0].Lifetime - 1 }] }] };
        return ReloadCodec.Encode(message with { Contents = message.Contents with { Body = mutated } });
    }

    [Fact]
    public void Without_resigning_a_mutated_store_stops_at_signature_verification()
    {
        var target = new PeerTarget(resign: false);
        target.Run(MutatedStore());
        Assert.Empty(target.Ring!.Received);
        // §6.3.4: the destination (the responsible peer, the target forwards it there) verifies and drops it.
        Assert.Contains(target.Ring.Peers, p => p.Peer.Transport.Drops.TryGetValue("bad signature", out var n) && n >= 1);
        Assert.DoesNotContain(target.Ring.Peers, p => p.Storage.Engine.ResourceIds.Contains(StoredResource()));
    }

    [Fact]
    public void Resigning_gets_a_mutated_store_past_signature_verification_into_storage()
    {
        var target = new PeerTarget(resign: true);
        target.Run(MutatedStore());
        Assert.IsType<StoreAns>(Assert.Single(Answers(target)));
        Assert.Contains(target.Ring!.Peers, p => p.Storage.Engine.ResourceIds.Contains(StoredResource()));
        // The next input starts from a rebuilt ring: the Store changed what later inputs would see.
        var before = target.Ring;
        target.Run(new byte[] { 0 });
        Assert.NotSame(before, target.Ring);
        Assert.DoesNotContain(target.Ring!.Peers, p => p.Storage.Engine.ResourceIds.Contains(StoredResource()));
    }

    private static Opaque StoredResource() => Assert.IsType<StoreReq>(Decode(MutatedStore()).Body).Resource;

    [Fact]
    public void Inputs_that_change_nothing_reuse_the_ring()
    {
        var target = new PeerTarget(resign: false);
        target.Run(new byte[] { 1, 2, 3 });
        var ring = target.Ring;
        for (int i = 0; i < 20; i++) target.Run(new byte[] { (byte)i });
        Assert.Same(ring, target.Ring);
        Assert.Equal(21, ring!.Inputs);
    }

    private static byte[] MalformedSanInput() =>
        File.ReadAllBytes(Path.Combine(RepositoryRoot.Path, "tests", "P2psip.Tests", "FuzzRegressions", "peer", "malformed-san-certificate.bin"));

    [Fact]
    public void A_certificate_with_a_malformed_subject_alt_name_is_refused_as_invalid_data()
    {
        // Found by the peer target: BouncyCastle threw InvalidOperationException, which the
        // certificate bucket's parser did not skip, so the transport's safety net dropped the message.
        var bucket = Decode(MalformedSanInput()).Security.Certificates;
        Assert.Contains(bucket, c => Record.Exception(() => P2psip.Security.ReloadCertificate.FromDer(c.Certificate.Span)) is InvalidDataException);
        Assert.All(bucket, c =>
        {
            var e = Record.Exception(() => P2psip.Security.ReloadCertificate.FromDer(c.Certificate.Span));
            Assert.True(e is null or InvalidDataException, e?.ToString());
        });
    }

    [Fact]
    public void The_malformed_certificate_input_fails_signature_verification_cleanly()
    {
        var target = new PeerTarget(resign: false);
        target.Run(MalformedSanInput());
        Assert.Contains(target.Ring!.Peers, p => p.Peer.Transport.Drops.ContainsKey("bad signature"));
        Assert.DoesNotContain(target.Ring.Peers, p => p.Peer.Transport.Drops.Keys.Any(k => k.StartsWith("could not process", StringComparison.Ordinal)));
    }
}
