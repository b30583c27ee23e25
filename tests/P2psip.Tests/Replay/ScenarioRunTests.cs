using P2psip.Adversary;
using P2psip.Conformance;
using P2psip.Conformance.Sut;
using P2psip.Messages;
using P2psip.NetFuzz;
using P2psip.Peer;
using P2psip.Replay;
using P2psip.Tests.Cli;
using P2psip.Tests.NetFuzz;

namespace P2psip.Tests.Replay;

/// <summary>
/// <c>p2psip scenario from-pcap</c> and <c>scenario run</c> (issue 9) end to end on the embedded
/// reference, and the scenario of a fuzz failure folder (issue 12) reproducing its failure.
/// </summary>
[Trait("Category", "Live")]
public class ScenarioRunTests
{
    [Fact]
    public async Task Pcap_to_scenario_to_run_to_pcap_gives_the_same_messages_modulo_the_rewritten_fields()
    {
        var path = await ReplayTests.CaptureAgainstReferenceAsync();
        var directory = Path.GetDirectoryName(path)!;
        var (fromExit, fromOutput, fromError) = CliRunner.Run(directory, "scenario", "from-pcap", path, "--out", "s.yaml");
        Assert.True(fromExit == 0, fromOutput + fromError);
        var scenario = ScenarioFile.Load(Path.Combine(directory, "s.yaml"));
        Assert.Equal(5, scenario.Steps.Count);
        Assert.Equal(2, scenario.Identities.Count);
        Assert.All(scenario.Steps, s => Assert.NotNull(s.Expect?.Bytes));

        // Another seed: another CA and another SUT Node-ID, so every rewrite matters.
        var (runExit, runOutput, runError) = CliRunner.Run(directory, "scenario", "run", "s.yaml", "--target", "embedded", "--seed", "29", "--capture", "run.pcap");
        Assert.True(runExit == 0, runOutput + runError);
        Assert.Contains("ran 5 steps: 5 same, 0 different, 0 no answer", runOutput);

        var captured = ReplayCapture.Read(path);
        var rerun = ReplayCapture.Read(Path.Combine(directory, "run.pcap"));
        Assert.Equal(captured.Exchanges.Count, rerun.Exchanges.Count);
        var targetNodeId = Assert.Single(rerun.ResponderNodeIds);
        Assert.DoesNotContain(targetNodeId, captured.ResponderNodeIds);
        var comparer = new AnswerComparer(captured.ResponderNodeIds, targetNodeId);
        for (int i = 0; i < captured.Exchanges.Count; i++)
        {
            var (before, after) = (captured.Exchanges[i], rerun.Exchanges[i]);
            Assert.Equal(before.Request.MessageCode, after.Request.MessageCode);
            // Bodies, codes and extensions are the same; the transaction id, destination and signature are rewritten.
            Assert.Empty(comparer.Differences(before.Request, after.Request));
            Assert.NotEqual(before.Request.Header.TransactionId, after.Request.Header.TransactionId);
            Assert.NotEqual(before.Request.Security.Signature.Value, after.Request.Security.Signature.Value);
            Assert.Empty(comparer.Differences(before.Answer!, after.Answer!));
        }

        // Onto a reference with access control off, Mallory's Store and the Fetch after it differ.
        var (diffExit, diffOutput, _) = CliRunner.Run(directory, "scenario", "run", "s.yaml", "--target", "embedded", "--disable", "access-control");
        Assert.Equal(1, diffExit);
        Assert.Contains("ran 5 steps: 3 same, 2 different, 0 no answer", diffOutput);
    }

    [Fact]
    public async Task Template_steps_are_checked_and_the_rules_act_on_the_steps_links()
    {
        var lab = CertificationLab.Create(seed: 4);
        await using var sut = new EmbeddedSut(lab, DefenceSwitches.AllOn);
        await sut.StartAsync(CancellationToken.None);
        var scenario = new ScenarioBuilder("templates")
            .Rule(RuleBuilder.When(Matcher.Outbound & Matcher.Code(MessageCodes.PingReq)).Drop().Limit(1).Named("lose-the-first-ping"))
            .Step(StepMessage.Template(MessageCodes.PingReq), StepExpectation.AnswerCode(MessageCodes.PingAns), name: "dropped by the rule")
            .Step(StepMessage.Template(MessageCodes.PingReq), StepExpectation.AnswerCode(MessageCodes.PingAns), name: "ping")
            .Step(StepMessage.Template(MessageCodes.PingReq), StepExpectation.AnswerCode(MessageCodes.StatAns), name: "wrong expectation")
            .Step(StepMessage.Template(MessageCodes.FetchReq), new StepExpectation
            {
                Answer = StepAnswer.Some,
                Fields = [new FieldTest("message_contents.message_body.fetch_ans.kind_responses", CompareOp.Exists)],
            }, name: "fetch")
            .Step(StepMessage.Template(MessageCodes.ProbeReq, new StepField("message_contents.message_body.probe_req.requested_info[0]", "0xfe")),
                StepExpectation.LivenessAfter(StepLiveness.Alive), name: "harmless on the clean reference")
            .Build();
        var report = await new ScenarioStepRunner(lab, sut, new StepRunOptions { AnswerTimeout = TimeSpan.FromSeconds(2) }).RunAsync(scenario);
        Assert.Equal([ReplayVerdict.NoAnswer, ReplayVerdict.Same, ReplayVerdict.Different, ReplayVerdict.Same, ReplayVerdict.Same],
            report.Outcomes.Select(o => o.Verdict));
        Assert.Equal(["message_contents.message_code"], report.Outcomes[2].DifferingFields);
    }

    // Faults that need earlier cases (Times > 1) are reproduced by `fuzz --rerun` with the tail of
    // preceding cases; the folder's scenario holds the failing session only (see FailureScenario).
    public static TheoryData<string> Faults => new(InjectedFault.Catalogue.Where(f => f.Times == 1).Select(f => f.Name));

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task A_fuzz_failure_folders_scenario_reproduces_the_failure_against_the_same_faulty_target(string name)
    {
        var fault = InjectedFault.Find(name)!;
        long first = new FuzzTestLab(1).FirstTripping(fault, 3000);
        Assert.True(first >= 0, $"no case of seed 1 trips {name} in 3000");
        var settings = new FuzzSettings
        {
            Seed = 1, Out = FuzzTestLab.NewDirectory(), InjectedFault = name,
            RangeStart = Math.Max(0, first - 10), RangeEnd = first + 20, StopOnFailure = true, Minimise = false,
        };
        var failure = Assert.Single((await new FuzzCampaign(settings, "p2psip tests").RunAsync(CancellationToken.None)).Failures);
        var folder = Path.Combine(settings.Out, "failures", failure.Id.ToString());
        var file = Path.Combine(folder, FailureScenario.FileName);
        var scenario = ScenarioFile.Load(file);
        Assert.Equal(failure.Outcome.Sent.Count, scenario.Steps.Count);
        Assert.Equal(StepLiveness.Lost, scenario.Steps[^1].Expect?.Liveness);

        var (exit, output, error) = CliRunner.Run(folder, "scenario", "run", file, "--target", "embedded", "--inject-fault", name, "--seed", "1", "--timeout", "2");
        Assert.True(exit == 0, output + error);
        Assert.Contains($"ran {scenario.Steps.Count} steps: {scenario.Steps.Count} same", output);

        // The clean reference survives the same steps: the expectation does not hold there.
        var (cleanExit, cleanOutput, cleanError) = CliRunner.Run(folder, "scenario", "run", file, "--target", "embedded", "--seed", "1", "--timeout", "2");
        Assert.True(cleanExit == 1, cleanOutput + cleanError);
        Assert.Contains("fields liveness", cleanOutput);
    }
}

/// <summary><c>p2psip scenario from-pcap</c> on bad input: one line naming the file, exit 2, nothing written.</summary>
public class ScenarioFromPcapCommandTests
{
    [Theory]
    [MemberData(nameof(BadCaptures.Kinds), MemberType = typeof(BadCaptures))]
    public void From_pcap_on_a_bad_capture_gives_one_line_and_writes_nothing(string kind)
    {
        var directory = CliRunner.NewDirectory();
        var path = Path.Combine(directory, kind + ".pcap");
        BadCaptures.Write(kind, path);
        var (exit, output, error) = CliRunner.Run(directory, "scenario", "from-pcap", path, "--out", "s.yaml");
        Assert.Equal(2, exit);
        var line = Assert.Single(CliRunner.ProblemLines(error));
        Assert.Contains(kind + ".pcap", line);
        Assert.DoesNotContain("   at ", error);
        Assert.Equal("", output);
        Assert.False(File.Exists(Path.Combine(directory, "s.yaml")));
    }
}
