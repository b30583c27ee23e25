using P2psip.Capture;
using P2psip.Conformance;
using P2psip.Conformance.Probe;
using P2psip.Conformance.Sut;
using P2psip.Messages;
using P2psip.Messages.Link;
using P2psip.Messages.Storage;
using P2psip.Peer;
using P2psip.Peer.Storage;
using P2psip.Replay;
using P2psip.Tests.Cli;

namespace P2psip.Tests.Replay;

/// <summary>
/// Replay of a capture made against the embedded reference (issue 9): onto a fresh reference every
/// answer is the same; onto a reference with access control off, the forbidden Store and the Fetch
/// after it are reported with their differing fields.
/// </summary>
[Trait("Category", "Live")]
public class ReplayTests
{
    private static readonly TimeSpan Answer = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Alice pings, registers her AOR and fetches it; Mallory tries to register at Alice's AOR
    /// (forbidden by USER-MATCH, §7.3.1.1), then fetches it. Each on its own link, captured.
    /// </summary>
    internal static async Task<string> CaptureAgainstReferenceAsync()
    {
        var lab = CertificationLab.Create(seed: 11);
        await using var sut = new EmbeddedSut(lab, DefenceSwitches.AllOn);
        await sut.StartAsync(CancellationToken.None);
        var path = Path.Combine(CliRunner.NewDirectory(), "against-reference.pcap");
        using (var writer = PcapStreamWriter.Create(path))
        {
            var evidence = new EvidenceLog();
            var factory = new MessageFactory(lab, sut.Endpoint, new Random(3));
            var alice = lab.Issue("alice");
            var mallory = lab.Issue("mallory");
            await using var aliceLink = await ProbeLink.ConnectAsync(sut.Endpoint, lab.Validator, alice, "alice", evidence, Answer);
            await using var malloryLink = await ProbeLink.ConnectAsync(sut.Endpoint, lab.Validator, mallory, "mallory", evidence, Answer);
            aliceLink.Link.Pipeline.Add(new StreamCaptureHandler(writer));
            malloryLink.Link.Pipeline.Add(new StreamCaptureHandler(writer));
            var aor = SipUsage.AorOf(alice.UserName!);
            var toAor = new ResourceDestination(SipUsage.ResourceIdOf(aor));

            Assert.True((await aliceLink.RequestAsync(factory.Request(new PingReq(P2psip.Wire.Opaque.Empty), alice), Answer)).Message?.Body is PingAns);
            var store = SipUsage.Register(alice, aor, "sip:alice@192.0.2.10", DateTimeOffset.UtcNow, 3600);
            Assert.True((await aliceLink.RequestAsync(factory.Request(store, alice, toAor), Answer)).Message?.Body is StoreAns);
            Assert.True((await aliceLink.RequestAsync(factory.Request(SipUsage.Lookup(aor), alice, toAor), Answer)).Message?.Body is FetchAns);
            var forged = SipUsage.Register(mallory, aor, "sip:mallory@192.0.2.66", DateTimeOffset.UtcNow, 3600);
            Assert.True((await malloryLink.RequestAsync(factory.Request(forged, mallory, toAor), Answer)).IsError(ErrorCodes.Forbidden));
            Assert.True((await malloryLink.RequestAsync(factory.Request(SipUsage.Lookup(aor), mallory, toAor), Answer)).Message?.Body is FetchAns);
        }
        return path;
    }

    private static async Task<ReplayReport> ReplayOntoAsync(string path, DefenceSwitches defences, string? recording = null)
    {
        var capture = ReplayCapture.Read(path);
        // Another lab: another CA and another SUT Node-ID, so the destination and signature rewrites matter.
        var lab = CertificationLab.Create(seed: 29);
        await using var sut = new EmbeddedSut(lab, defences);
        await sut.StartAsync(CancellationToken.None);
        using var writer = recording is null ? null : PcapStreamWriter.Create(recording);
        return await new ReplayRunner(lab, sut, new ReplayOptions { AsFastAsPossible = true, AnswerTimeout = Answer, Seed = 5 }).RunAsync(capture, writer);
    }

    [Fact]
    public async Task A_capture_against_the_reference_replayed_onto_a_fresh_reference_gets_the_same_answers()
    {
        var path = await CaptureAgainstReferenceAsync();
        var recording = Path.Combine(Path.GetDirectoryName(path)!, "replay.pcap");
        var report = await ReplayOntoAsync(path, DefenceSwitches.AllOn, recording);

        Assert.Equal(5, report.Outcomes.Count);
        Assert.True(report.AllSame, string.Join("\n", report.Outcomes));
        Assert.Equal(["ping_req", "store_req", "fetch_req", "store_req", "fetch_req"], report.Outcomes.Select(o => o.Exchange.Name));

        // The replay's own capture holds the five requests and their answers, rebuilt (new transaction ids).
        var replayed = ReplayCapture.Read(recording);
        Assert.Equal(5, replayed.Exchanges.Count);
        Assert.All(replayed.Exchanges, e => Assert.NotNull(e.Answer));
        var captured = ReplayCapture.Read(path);
        Assert.Empty(replayed.Exchanges.Select(e => e.Request.Header.TransactionId).Intersect(captured.Exchanges.Select(e => e.Request.Header.TransactionId)));
    }

    [Fact]
    public async Task Replayed_onto_a_reference_without_access_control_the_forbidden_store_and_the_fetch_after_it_differ()
    {
        var path = await CaptureAgainstReferenceAsync();
        var report = await ReplayOntoAsync(path, DefenceSwitches.AllOn.Disable([DefenceSwitches.AccessControl]));

        Assert.Equal([ReplayVerdict.Same, ReplayVerdict.Same, ReplayVerdict.Same, ReplayVerdict.Different, ReplayVerdict.Different],
            report.Outcomes.Select(o => o.Verdict));
        var store = report.Outcomes[3];
        Assert.Contains("message_contents.message_code", store.DifferingFields);
        Assert.StartsWith("Error_Forbidden", store.Captured);
        Assert.Equal("store_ans", store.Replayed);
        // Mallory's value is there now: the Fetch answer has more values than the captured one.
        Assert.Contains(report.Outcomes[4].DifferingFields, f => f.Contains("values", StringComparison.Ordinal));
    }
}
