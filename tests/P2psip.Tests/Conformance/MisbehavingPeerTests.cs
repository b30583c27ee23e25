using Xunit.Abstractions;
using System.Net;
using P2psip.Conformance;
using P2psip.Conformance.Probe;
using P2psip.Conformance.Sut;
using P2psip.Tests.Conformance.Doubles;

namespace P2psip.Tests.Conformance;

/// <summary>
/// Third-party peers that get RELOAD wrong (issue 13): each is certified as an external SUT. The run
/// must finish within a deadline without a harness error, report the deviation as a failure, leave the
/// cases that need what failed inconclusive (never pass), and exit 1.
/// </summary>
[Trait("Category", "Live")]
[Trait("Category", "Long")]
public class MisbehavingPeerTests(ITestOutputHelper output)
{
    // Short deadlines: most cases meet silence from these peers.
    private static readonly CaseTimeouts Quick = new() { Connect = TimeSpan.FromSeconds(2), Answer = TimeSpan.FromSeconds(1), Case = TimeSpan.FromSeconds(20) };

    public static TheoryData<Misbehaviour, string[]> Deviations => new()
    {
        { Misbehaviour.PlaintextUnframed, ["TR-1a"] },
        { Misbehaviour.WrongTransactionId, ["PC-10-01"] },
        { Misbehaviour.DraftVersion, ["PC-10-01"] },
        // §6.3.4: every message is signed; the Ping answer is not, so the Ping case must not pass.
        { Misbehaviour.SignsNothing, ["PC-10-01"] },
    };

    [Theory]
    [MemberData(nameof(Deviations))]
    public async Task A_misbehaving_peer_fails_its_deviation_and_nothing_that_depends_on_it_passes(Misbehaviour misbehaviour, string[] mustFail)
    {
        const int seed = 1307;
        var lab = CertificationLab.Create(seed);
        await using var fake = new FakeReloadPeer(misbehaviour, lab.SutIdentity);
        var sut = new ExternalSut(new SutEndpoint(fake.Endpoint, fake.Transport, lab.SutIdentity.NodeId));
        var report = await CertifyRuns.RunAsync(lab, sut, seed, timeouts: Quick, deadline: TimeSpan.FromMinutes(6));
        var byId = report.ById();
        var all = report.Describe();
        output.WriteLine(all);

        Assert.True(report.Cases.All(c => c.Result.Verdict != Verdict.Error), "harness errors:\n" + report.Describe(r => r.Verdict == Verdict.Error));
        Assert.True(report.Cases.All(c => c.Result.Verdict != Verdict.Crash), "the fake never dies, yet:\n" + report.Describe(r => r.Verdict == Verdict.Crash));
        foreach (var id in mustFail.Where(id => id.Count(ch => ch == '-') == 2))
            Assert.True(byId[id].Verdict == Verdict.Fail, $"{id}: {byId[id].Verdict.Word()}: {byId[id].Reason}"
                + (misbehaviour == Misbehaviour.SignsNothing ? " -- no case checks that the SUT signs its answers (§6.3.4); the probe takes an unsigned answer as an answer" : "")
                + $"\n{all}");
        foreach (var threat in mustFail.Where(id => id.Count(ch => ch == '-') == 1))
            Assert.True(report.Cases.Any(c => c.Case.Threats.Contains(threat) && c.Result.Verdict == Verdict.Fail), $"no {threat} case failed:\n{all}");
        Assert.True(report.Cases.Any(c => c.Result.Verdict == Verdict.Fail), "nothing failed:\n" + all);

        var failedOrUnproven = report.Cases.Where(c => !c.Result.Verdict.IsSuccess()).Select(c => c.Case.Id).ToHashSet();
        var passedDespite = report.Cases.Where(c => c.Result.Verdict is Verdict.Pass or Verdict.PassLenient && c.Case.Needs.Any(failedOrUnproven.Contains)).Select(c => c.Case.Id).ToList();
        Assert.True(passedDespite.Count == 0, "cases passed although a case they need did not: " + string.Join(", ", passedDespite));
        Assert.Equal(1, report.ExitCode);
        Assert.True(fake.Pings > 0, "the fake was never pinged");
    }
}
