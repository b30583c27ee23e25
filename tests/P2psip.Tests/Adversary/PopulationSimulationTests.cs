using System.Text.Json;
using P2psip.Adversary.Personas;
using P2psip.Peer;
using P2psip.Peer.Simulation;
using Xunit.Abstractions;

namespace P2psip.Tests.Adversary;

/// <summary>
/// Issue 10, item 1: a signed simulated ring in which a fraction of the peers is a persona, measured
/// with value lookups (Store, then Fetch of the latest value, judged by its signature).
/// </summary>
public class PopulationSimulationTests(ITestOutputHelper output)
{
    private static PopulationOptions Options(string persona, double f, params string[] off) => new()
    {
        Peers = 24,
        Seed = 77,
        Lookups = 40,
        MaliciousFraction = f,
        Persona = persona,
        DisabledDefences = off,
    };

    [Fact]
    public void WithNoAttackerEveryLookupIsCorrect()
    {
        var report = PopulationSimulation.Run(Options("dropper", 0));
        Assert.Equal(0, report.MaliciousPeers);
        Assert.Equal(1.0, report.CorrectAnswerRate);
        Assert.Equal(0.0, report.WrongAnswerRate);
        Assert.Equal(0.0, report.NoAnswerRate);
        Assert.Equal(0.0, report.AttackerTableShare);
        Assert.Equal("plain", report.LookupMode);
        Assert.True(report.MeanHops >= 1);
        Assert.Equal(report.MessagesToBuild + (long)Math.Round(report.MessagesPerLookup * report.Lookups), report.SimulatedMessages);
    }

    /// <summary>Honest peers placed in bulk, personas joining by the protocol: every lookup is correct without attackers, and the attackers still join.</summary>
    [Fact]
    public void ABulkJoinedPopulationSaysSoAndLetsThePersonasJoin()
    {
        var clean = PopulationSimulation.Run(Options("dropper", 0) with { BulkJoin = true });
        Assert.Equal("bulk", clean.JoinMode);
        Assert.Equal(1.0, clean.CorrectAnswerRate);
        Assert.Equal(24, clean.Joined);
        var attacked = PopulationSimulation.Run(Options("dropper", 0.25, DefenceSwitches.RedundantLookups) with { BulkJoin = true });
        Assert.Equal(6, attacked.MaliciousPeers);
        Assert.Empty(attacked.PersonaJoinFailures!);
        Assert.Equal("protocol", PopulationSimulation.Run(Options("dropper", 0)).JoinMode);
    }

    /// <summary>
    /// Each persona that attacks lookups, on the variant without the defence that would contain it
    /// (none exists for droppers and misrouters, whose containment is redundant lookups, another
    /// branch's). Not here: Sybil (its rules pass everything, the attack is where it sits), churner
    /// and spammer (they flood joins and stores, not lookups), chosen-ID (refused or not at its join);
    /// PersonaSimulationTests covers them. Nor the routing-table poisoner: in a 24-peer population at
    /// F = 0.25 with attach-before-update off it lowers neither the correct-answer rate (measured 1.0:
    /// a fabricated neighbour fails, is dropped and the request goes again) nor, after the lookups,
    /// the attacker share of honest tables beyond the same peers running the empty scenario (0.23 and
    /// 0.23); its effect on the tables is shown in PersonaSimulationTests.
    /// </summary>
    [Theory]
    [Trait("Category", TestCategory.Long)]
    [InlineData("dropper")]
    [InlineData("misrouter")]
    [InlineData("lying-responder", DefenceSwitches.ResponseOrigin)]
    [InlineData("stale-responder", DefenceSwitches.MessageSignatures)]
    public void EachPersonaLowersTheCorrectAnswerRateOnTheUndefendedVariant(string persona, params string[] off)
    {
        var baseline = PopulationSimulation.Run(Options(persona, 0, off));
        var attacked = PopulationSimulation.Run(Options(persona, 0.25, off));
        output.WriteLine($"{persona}: correct {baseline.CorrectAnswerRate} -> {attacked.CorrectAnswerRate}, wrong {attacked.WrongAnswerRate}, none {attacked.NoAnswerRate}, attacker table share {attacked.AttackerTableShare}");
        Assert.Equal(1.0, baseline.CorrectAnswerRate);
        Assert.Equal(6, attacked.MaliciousPeers);
        Assert.True(attacked.CorrectAnswerRate < baseline.CorrectAnswerRate);
        Assert.Equal(1.0, attacked.CorrectAnswerRate!.Value + attacked.WrongAnswerRate!.Value + attacked.NoAnswerRate!.Value, 6);
    }

    [Fact]
    public void TheSameSeedGivesTheSameNumbers()
    {
        static string Numbers(SimulationReport r) => JsonSerializer.Serialize(r with { BuildSeconds = 0, LookupSeconds = 0, WallSeconds = 0, MemoryPerPeerBytes = 0 });
        var first = PopulationSimulation.Run(Options("lying-responder", 0.2, DefenceSwitches.ResponseOrigin));
        var second = PopulationSimulation.Run(Options("lying-responder", 0.2, DefenceSwitches.ResponseOrigin));
        Assert.Equal(Numbers(first), Numbers(second));
        var other = PopulationSimulation.Run(Options("lying-responder", 0.2, DefenceSwitches.ResponseOrigin) with { Seed = 78 });
        Assert.NotEqual(Numbers(first), Numbers(other));
    }

    [Fact]
    public void VictimPlacementPutsTheAttackersAroundTheVictim()
    {
        var report = PopulationSimulation.Run(Options("routing-table-poisoner", 0.25) with { Placement = Placement.Parse("victim:80000000000000000000000000000000") });
        Assert.Equal("victim:80000000000000000000000000000000", report.Placement);
        Assert.Equal(6, report.MaliciousPeers);
        Assert.True(report.AttackerTableShare > 0);
    }

    [Fact]
    public void AnUnknownLookupModeIsRefusedInSoManyWords()
    {
        var e = Assert.Throws<ArgumentException>(() => PopulationSimulation.Run(Options("dropper", 0) with { LookupMode = "sideways" }));
        Assert.StartsWith("unknown lookup mode: 'sideways' is not a lookup mode", e.Message);
    }

    [Fact]
    public void WithNoAttackerEveryRedundantLookupIsCorrectToo()
    {
        var report = PopulationSimulation.Run(Options("dropper", 0) with { LookupMode = "redundant:4" });
        Assert.Equal("redundant:4", report.LookupMode);
        Assert.Equal(1.0, report.CorrectAnswerRate);
    }

    /// <summary>Droppers (the fixture persona: half of what they carry, Attach and Update passed) cost plain lookups answers; redundant ones get them back.</summary>
    [Fact]
    public void DroppersLowerPlainSuccessAndRedundantLookupsRecoverIt()
    {
        var options = Options("dropper", 0.25) with { Peers = 60, Lookups = 60, Seed = 78 };
        var plain = PopulationSimulation.Run(options);
        var redundant = PopulationSimulation.Run(options with { LookupMode = "redundant:4" });
        output.WriteLine($"plain {plain.CorrectAnswerRate} correct, {plain.MessagesPerLookup} messages; redundant:4 {redundant.CorrectAnswerRate}, {redundant.MessagesPerLookup}");
        Assert.True(plain.CorrectAnswerRate < 0.9, $"plain {plain.CorrectAnswerRate}");
        Assert.Equal(0.0, redundant.WrongAnswerRate);
        Assert.True(redundant.CorrectAnswerRate >= plain.CorrectAnswerRate + 0.1, $"redundant {redundant.CorrectAnswerRate} vs plain {plain.CorrectAnswerRate}");
    }
}
