using P2psip.NetFuzz;
using P2psip.Peer;

namespace P2psip.Tests.NetFuzz;

/// <summary>Campaigns against the embedded reference peer on loopback TLS, clean and with each injected fault.</summary>
[Trait("Category", TestCategory.Live)]
public sealed class FuzzCampaignTests
{
    private const string Tool = "p2psip tests";

    private static FuzzSettings Settings(int seed) => new() { Seed = seed, Out = FuzzTestLab.NewDirectory() };

    private static IReadOnlyList<string> CaseLines(string dir) =>
        File.ReadAllLines(Path.Combine(dir, FuzzCampaign.CasesFile)).Select(l => string.Join('\t', l.Split('\t').Take(2))).ToList();

    [Fact]
    public async Task CleanReferenceGivesNoFailure()
    {
        var settings = Settings(3) with { Cases = 120 };
        var result = await new FuzzCampaign(settings, Tool).RunAsync(CancellationToken.None);
        Assert.Empty(result.Failures);
        Assert.Equal(120, result.Cases);
        Assert.Equal(0, result.Restarts);
        Assert.Equal(120, CaseLines(settings.Out).Count);
        Assert.True(FuzzManifest.Load(settings.Out).Finished);
        Assert.True(File.Exists(Path.Combine(settings.Out, FuzzCampaign.SummaryFile)));
        Assert.Matches(@"^SUMMARY cases=120 cases_per_sec=[0-9.]+ failures=0 restarts=0$", result.SummaryLine);
    }

    /// <summary>The faults a single case trips (the others need state from earlier cases).</summary>
    public static TheoryData<string> Faults => new(InjectedFault.Catalogue.Where(f => f.Times == 1).Select(f => f.Name));

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task InjectedFaultIsFoundReproducedAndRerun(string name)
    {
        var fault = InjectedFault.Find(name)!;
        var lab = new FuzzTestLab(1);
        long first = lab.FirstTripping(fault, 3000);
        Assert.True(first >= 0, $"no case of seed 1 trips {name} in 3000");
        var settings = Settings(1) with { InjectedFault = name, RangeStart = Math.Max(0, first - 10), RangeEnd = first + 20, StopOnFailure = true, Minimise = false };
        var result = await new FuzzCampaign(settings, Tool).RunAsync(CancellationToken.None);

        var failure = Assert.Single(result.Failures);
        Assert.True(failure.Reproduced, $"{failure.Id}: {failure.Outcome.Liveness}, rerun {failure.Rerun}");
        Assert.InRange(failure.Id.Index, settings.RangeStart!.Value, settings.RangeEnd!.Value);
        Assert.Equal(2, result.Restarts);
        var folder = Path.Combine(settings.Out, "failures", failure.Id.ToString());
        foreach (var file in new[] { FailureFolder.FileName, "messages.hex", "messages.txt" }) Assert.True(File.Exists(Path.Combine(folder, file)), file);
        Assert.Equal(failure.Outcome.Sent.Count, File.ReadAllLines(Path.Combine(folder, "messages.hex")).Length);

        // --rerun: the folder alone says what to run.
        var (again, id) = FailureFolder.Load(folder);
        Assert.Equal(failure.Id, id);
        Assert.Equal(name, again.InjectedFault);
        var rerun = await new FuzzCampaign(again with { Out = Path.Combine(folder, "rerun"), StopOnFailure = true }, Tool).RunAsync(CancellationToken.None);
        Assert.Equal(failure.Id, Assert.Single(rerun.Failures).Id);
        Assert.Equal(1, rerun.Cases);
    }

    [Fact]
    public async Task FaultThatNeedsEarlierCasesIsReproducedWithTheShortestTailAndMinimised()
    {
        var fault = InjectedFault.Catalogue.First(f => f.Times > 1);
        var settings = Settings(1) with { InjectedFault = fault.Name, Cases = 300, StopOnFailure = true };
        var result = await new FuzzCampaign(settings, Tool).RunAsync(CancellationToken.None);

        var failure = Assert.Single(result.Failures);
        // Alone on a restarted peer the case passes; after the tail it fails again.
        Assert.True(failure.Reproduced, $"{failure.Id}: {failure.Outcome.Liveness}; {failure.RerunNote}");
        Assert.NotEmpty(failure.Tail);
        Assert.Equal(failure.Id.Index - 1, failure.Tail[^1].Index);
        Assert.Equal(Enumerable.Range((int)failure.Tail[0].Index, failure.Tail.Count).Select(i => (long)i), failure.Tail.Select(t => t.Index));
        // The case alone carries fewer Leaves than the fault needs; with its tail, enough (the SUT may refuse some).
        var offline = new FuzzTestLab(1);
        int Leaves(long i) => offline.Case(i).Messages.Count(m => P2psip.Messages.ReloadCodec.DecodeCopy(m.TemplateBytes()) is { IsSuccess: true } d && fault.Trips(d.Value.Body));
        Assert.InRange(Leaves(failure.Id.Index), 1, fault.Times - 1);
        Assert.True(failure.Tail.Sum(t => Leaves(t.Index)) + Leaves(failure.Id.Index) >= fault.Times);
        Assert.InRange(failure.Tail.Count, 1, FuzzCampaign.MaxTail);
        // Then the messages: the failing case shrinks to what it adds (at least one Leave).
        var minimised = Assert.IsType<FuzzCaseOutcome>(failure.Minimised);
        Assert.False(minimised.Alive);
        Assert.InRange(minimised.Sent.Count, 1, failure.Outcome.Sent.Count);
        Assert.Contains(minimised.Sent, m => P2psip.Messages.ReloadCodec.DecodeCopy(m.Bytes) is { IsSuccess: true } d && fault.Trips(d.Value.Body));

        // The folder names the tail, and --rerun runs it first.
        var folder = Path.Combine(settings.Out, "failures", failure.Id.ToString());
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(folder, FailureFolder.FileName)))!;
        Assert.Equal(failure.Tail.Select(t => t.ToString()), json["preceding_cases"]!.AsArray().Select(n => (string)n!));
        var (again, id) = FailureFolder.Load(folder);
        var rerun = await new FuzzCampaign(again with { Out = Path.Combine(folder, "rerun"), StopOnFailure = true, Minimise = false }, Tool).RunAsync(CancellationToken.None);
        Assert.Equal(id, Assert.Single(rerun.Failures).Id);
        Assert.Equal(failure.Tail.Count + 1, rerun.Cases);
    }

    [Fact]
    public async Task SameSeedGivesTheSameCasesAndTheSameFindings()
    {
        var fault = InjectedFault.Catalogue[0];
        long first = new FuzzTestLab(1).FirstTripping(fault, 3000);
        FuzzSettings Run() => Settings(1) with { InjectedFault = fault.Name, RangeStart = Math.Max(0, first - 8), RangeEnd = first + 4, Minimise = false };
        var a = Run();
        var b = Run();
        var ra = await new FuzzCampaign(a, Tool).RunAsync(CancellationToken.None);
        var rb = await new FuzzCampaign(b, Tool).RunAsync(CancellationToken.None);
        Assert.Equal(CaseLines(a.Out), CaseLines(b.Out));
        Assert.NotEmpty(ra.Failures);
        Assert.Equal(ra.Failures.Select(f => f.Id), rb.Failures.Select(f => f.Id));
        // And the digests are the generator's, computed here without any network.
        var offline = new FuzzTestLab(1);
        foreach (var line in CaseLines(a.Out))
        {
            var parts = line.Split('\t');
            Assert.True(FuzzCaseId.TryParse(parts[0], out var id));
            Assert.Equal(offline.Case(id.Index).Digest(), parts[1]);
        }
    }

    [Fact]
    public async Task ReproducedFailureIsMinimisedToTheMessageAndFieldThatKillIt()
    {
        var fault = InjectedFault.Catalogue.First(f => f.Effect == InjectedFaultEffect.Crash);
        var lab = new FuzzTestLab(1);
        long first = lab.FirstTripping(fault, 3000);
        var settings = Settings(1) with { InjectedFault = fault.Name, RangeStart = first, RangeEnd = first };
        var result = await new FuzzCampaign(settings, Tool).RunAsync(CancellationToken.None);

        var failure = Assert.Single(result.Failures);
        var minimised = failure.Minimised;
        Assert.NotNull(minimised);
        Assert.False(minimised.Alive);
        var message = Assert.Single(minimised.Sent);
        var decoded = P2psip.Messages.ReloadCodec.DecodeCopy(message.Bytes);
        Assert.True(decoded.IsSuccess);
        Assert.True(fault.Trips(decoded.Value.Body));
        Assert.Single(minimised.Mutations);
        Assert.True(minimised.Sent.Count <= failure.Outcome.Sent.Count);
        Assert.True(File.Exists(Path.Combine(settings.Out, "failures", failure.Id.ToString(), "minimised", "messages.hex")));
    }

    [Fact]
    public async Task ShardsMergeIntoExactlyTheUnshardedCases()
    {
        var shards = new List<string>();
        for (int i = 0; i < 2; i++)
        {
            var settings = Settings(8) with { Cases = 16, ShardIndex = i, ShardCount = 2 };
            await new FuzzCampaign(settings, Tool).RunAsync(CancellationToken.None);
            shards.Add(settings.Out);
        }
        var merged = FuzzTestLab.NewDirectory();
        var summary = FuzzMerge.Merge(shards, merged);
        Assert.Equal(16, summary.Cases);
        Assert.Empty(summary.Failures);
        var offline = new FuzzTestLab(8);
        var expected = Enumerable.Range(0, 16).Select(i => $"{new FuzzCaseId(SessionGenerator.Version, 8, i)}\t{offline.Case(i).Digest()}");
        Assert.Equal(expected, CaseLines(merged));
        // A shard given twice is refused: its cases would count twice.
        Assert.Throws<InvalidDataException>(() => FuzzMerge.Merge([shards[0], shards[0]], FuzzTestLab.NewDirectory()));
    }

    [Fact]
    public async Task KilledCampaignResumesWhereItStopped()
    {
        var settings = Settings(5) with { Cases = 40 };
        using (var kill = new CancellationTokenSource())
        {
            int seen = 0;
            try { await new FuzzCampaign(settings, Tool, onCase: _ => { if (++seen == 12) kill.Cancel(); }).RunAsync(kill.Token); }
            catch (OperationCanceledException) { }
        }
        var manifest = FuzzManifest.Load(settings.Out);
        Assert.False(manifest.Finished);
        Assert.InRange(manifest.NextIndex, 0, 39);
        await new FuzzCampaign(manifest.Settings, Tool).RunAsync(CancellationToken.None, manifest);
        var ids = CaseLines(settings.Out).Select(l => l.Split('\t')[0]).ToList();
        Assert.Equal(Enumerable.Range(0, 40).Select(i => new FuzzCaseId(SessionGenerator.Version, 5, i).ToString()), ids);
        Assert.True(FuzzManifest.Load(settings.Out).Finished);
    }
}
