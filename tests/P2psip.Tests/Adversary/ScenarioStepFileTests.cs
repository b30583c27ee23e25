using P2psip.Adversary;
using P2psip.Messages;
using P2psip.Replay;
using P2psip.Tests.Cli;

namespace P2psip.Tests.Adversary;

/// <summary>
/// The <c>steps:</c> section of scenario files: what a step file reads as, what the fluent API
/// builds, and a bad step as one line naming the file, the line and the field (<c>scenario check</c>).
/// </summary>
public class ScenarioStepFileTests
{
    private const string Header = "name: x\nidentities:\n  - name: alice\nrules: []\n";

    [Theory]
    [InlineData("steps:\n  - expect: {answer: none}\n", 6, "steps[0].send", "Required")]
    [InlineData("steps:\n  - send: {}\n", 6, "steps[0].send", "hex (captured bytes) or code")]
    [InlineData("steps:\n  - send: {hex: d2454c4f, code: ping_req}\n", 6, "steps[0].send", "not both")]
    [InlineData("steps:\n  - send: {hex: xyz}\n", 6, "steps[0].send.hex", "")]
    [InlineData("steps:\n  - send: {code: pnig_req}\n", 6, "steps[0].send.code", "not a message code")]
    [InlineData("steps:\n  - send: {code: 0x7f01}\n", 6, "steps[0].send.code", "no template")]
    [InlineData("steps:\n  - send:\n      code: ping_req\n      fields: [{path: a.b, value: hello}]\n", 8, "steps[0].send.fields[0].value", "number")]
    [InlineData("steps:\n  - send: {code: ping_req}\n    from: bob\n", 7, "steps[0].from", "no identity named 'bob'")]
    [InlineData("steps:\n  - send: {code: ping_req}\n    rewrite: colour\n", 7, "steps[0].rewrite", "")]
    [InlineData("steps:\n  - send: {code: ping_req}\n    expect: {answer: pong}\n", 7, "steps[0].expect.answer", "not a message code")]
    [InlineData("steps:\n  - send: {code: ping_req}\n    expect: {answer: none, error: Error_Forbidden}\n", 7, "steps[0].expect.answer", "takes no error")]
    [InlineData("steps:\n  - send: {code: ping_req}\n    expect: {answer: ping_ans, error: Error_Forbidden}\n", 7, "steps[0].expect.error", "goes with answer: error")]
    [InlineData("steps:\n  - send: {code: ping_req}\n    expect: {error: Error_Bored}\n", 7, "steps[0].expect.error", "not an error code")]
    [InlineData("steps:\n  - send: {code: ping_req}\n    expect: {liveness: dead}\n", 7, "steps[0].expect.liveness", "")]
    [InlineData("steps:\n  - send: {code: ping_req}\n    expect: {colour: red}\n", 7, "steps[0].expect.colour", "unknown field")]
    [InlineData("steps:\n  - send: {code: ping_req}\n    expect:\n      fields: [{path: a, op: eq}]\n", 8, "steps[0].expect.fields[0]", "needs a value")]
    [InlineData("responders: [zz]\n", 5, "responders[0]", "")]
    public void A_bad_step_gets_one_line_with_file_line_and_field(string steps, int line, string field, string problem)
    {
        var e = Assert.Throws<ScenarioFileException>(() => ScenarioFile.Parse(Header + steps, "bad.yaml"));
        Assert.Equal((line, field), (e.Line, e.Field));
        Assert.Contains(problem, e.Problem, StringComparison.Ordinal);
        Assert.StartsWith($"bad.yaml:{line}: {field}: ", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void A_step_file_reads_as_the_builder_builds_it()
    {
        var yaml = Header + """
            responders: [0a0b]
            steps:
              - name: hello
                from: alice
                send: {code: ping_req}
                expect: {answer: ping_ans}
              - send:
                  hex: d2454c4f
                  fields: [{path: forwarding_header.ttl, value: 3}]
                rewrite: [overlay, signature]
                expect: {error: Error_Forbidden, liveness: alive}
              - send: {code: fetch_req}
                expect: {answer: none}
              - send: {code: probe_req}
            """;
        var expected = new ScenarioBuilder("x").Identity(new ScenarioIdentity("alice")).Responder(new P2psip.Wire.Opaque(new byte[] { 0x0a, 0x0b }))
            .Step(StepMessage.Template(MessageCodes.PingReq), StepExpectation.AnswerCode(MessageCodes.PingAns), from: "alice", name: "hello")
            .Step(StepMessage.Captured([0xd2, 0x45, 0x4c, 0x4f]) with { Fields = [new StepField("forwarding_header.ttl", "3")] },
                StepExpectation.Error(ErrorCodes.Forbidden) with { Liveness = StepLiveness.Alive }, rewrites: ReplayRewrites.Overlay | ReplayRewrites.Signature)
            .Step(StepMessage.Template(MessageCodes.FetchReq), StepExpectation.NoAnswer)
            .Step(StepMessage.Template(MessageCodes.ProbeReq))
            .Build();
        var loaded = ScenarioFile.Parse(yaml);
        Assert.Equal(expected, loaded);
        Assert.Equal(expected, ScenarioFile.Parse(ScenarioFile.Save(expected)));
    }

    [Fact]
    public void Check_names_the_bad_step_with_exit_2()
    {
        var dir = CliRunner.NewDirectory();
        var path = Path.Combine(dir, "steps.yaml");
        File.WriteAllText(path, Header + "steps:\n  - send: {code: ping_req}\n    from: bob\n");
        var (code, output, error) = CliRunner.Run(dir, "scenario", "check", path);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Equal($"{path}:7: steps[0].from: no identity named 'bob' (declare it under identities)", Assert.Single(CliRunner.ProblemLines(error)));
    }
}
