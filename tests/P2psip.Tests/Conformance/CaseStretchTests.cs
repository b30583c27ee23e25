using P2psip.Conformance.Catalogue;

namespace P2psip.Tests.Conformance;

/// <summary>
/// Each case and each rerun of it places its parties in a stretch of the ring no other case or
/// attempt uses (RoutingSteps.NearSut): a SUT run through the whole suite without a restart must not
/// meet an earlier case's party under a Node-ID it still remembers (its pending Updates to that
/// Node-ID time out later and count as the neighbour's failure, §10.7.1).
/// </summary>
public class CaseStretchTests
{
    [Fact]
    public void Every_case_and_attempt_has_a_stretch_of_its_own_close_to_the_sut()
    {
        var starts = SuiteCatalogue.All
            .SelectMany(c => Enumerable.Range(0, (int)RoutingSteps.AttemptsWithOwnStretch).Select(a => (c.Id, Attempt: a, Start: RoutingSteps.Stretch(c.Id, a))))
            .OrderBy(s => s.Start)
            .ToList();

        Assert.True(starts[0].Start >= RoutingSteps.StretchWidth, $"{starts[0].Id} attempt {starts[0].Attempt} starts at {starts[0].Start}: offsets ±1.. would reach the SUT's own Node-ID");
        for (int i = 1; i < starts.Count; i++)
            Assert.True(starts[i].Start - starts[i - 1].Start >= RoutingSteps.StretchWidth,
                $"{starts[i - 1].Id}#{starts[i - 1].Attempt} at {starts[i - 1].Start} and {starts[i].Id}#{starts[i].Attempt} at {starts[i].Start} overlap");
        // Still "just after the SUT" (responsible for almost nothing), and short of PC-3-01's other Node-ID at SUT + 2^20.
        Assert.True(starts[^1].Start + RoutingSteps.StretchWidth < 1 << 20, $"the last stretch reaches {starts[^1].Start}");
    }

    [Fact]
    public void Reruns_beyond_the_attempts_with_a_stretch_share_the_last_one()
    {
        var id = SuiteCatalogue.All[0].Id;
        Assert.Equal(RoutingSteps.Stretch(id, (int)RoutingSteps.AttemptsWithOwnStretch - 1), RoutingSteps.Stretch(id, 9));
        Assert.NotEqual(RoutingSteps.Stretch(id, 0), RoutingSteps.Stretch(id, 1));
    }
}
