using P2psip.Adversary;
using P2psip.Tests.Cli;
using P2psip.Tests.Fuzz;

namespace P2psip.Tests.Adversary;

/// <summary>
/// Scenario files: every persona under fixtures/scenarios loads and reloads equal; a bad file gets
/// exactly one line naming the file, the line and the field; <c>p2psip scenario check</c> prints the
/// normalised scenario (exit 0) or that line (exit 2).
/// </summary>
public class ScenarioFileTests
{
    private static string ScenarioFolder => Path.Combine(RepositoryRoot.Path, "fixtures", "scenarios");

    public static TheoryData<string> Personas() =>
        new(Directory.GetFiles(ScenarioFolder, "*.yaml").Select(Path.GetFileName).Order(StringComparer.Ordinal)!);

    [Theory]
    [MemberData(nameof(Personas))]
    public void Every_persona_passes_the_check_and_reloads_equal(string file)
    {
        var scenario = ScenarioFile.Load(Path.Combine(ScenarioFolder, file));
        Assert.Equal(Path.GetFileNameWithoutExtension(file), scenario.Name);
        Assert.False(string.IsNullOrWhiteSpace(scenario.Description), "each persona says what it does");
        var normalised = ScenarioFile.Save(scenario);
        Assert.Equal(scenario, ScenarioFile.Parse(normalised));
        Assert.Equal(normalised, ScenarioFile.Save(ScenarioFile.Parse(normalised)));
    }

    [Fact]
    public void The_personas_of_the_issue_are_all_there()
    {
        var names = Directory.GetFiles(ScenarioFolder, "*.yaml").Select(Path.GetFileNameWithoutExtension).ToHashSet();
        foreach (var persona in new[] { "dropper", "misrouter", "lying-responder", "modifier", "replayer", "routing-table-poisoner", "spammer", "churner", "chosen-id", "sybil", "eclipse" })
            Assert.Contains(persona, names);
    }

    /// <summary>Every persona's field paths name fields of the corpus message of the code it matches.</summary>
    [Theory]
    [MemberData(nameof(Personas))]
    public void Persona_field_paths_name_real_fields(string file)
    {
        var scenario = ScenarioFile.Load(Path.Combine(ScenarioFolder, file));
        foreach (var rule in scenario.Rules)
        {
            var paths = rule.Actions.Select(a => a switch { MutateAction m => m.Path, SpliceAction { Path: { } p } => p, _ => null }).OfType<string>().ToList();
            if (paths.Count == 0 || rule.Match.Codes is not { Count: 1 } codes) continue;
            var name = P2psip.Messages.MessageCodes.NameOf(codes[0])!;
            var map = P2psip.Messages.ReloadCodec.FieldMap(AdversaryTestKit.Decode(AdversaryTestKit.CorpusMessage(name)));
            foreach (var path in paths)
            {
                var pattern = "^" + System.Text.RegularExpressions.Regex.Escape(path).Replace(@"\[\*]", @"\[\d+]", StringComparison.Ordinal) + "$";
                Assert.True(map.Descendants().Any(n => System.Text.RegularExpressions.Regex.IsMatch(n.Path, pattern)), $"{file}: {path} names no field of {name}");
            }
        }
    }

    [Theory]
    [InlineData("name: x\nrules: []\nbogus: 1\n", 3, "bogus", "unknown field")]
    [InlineData("name: x\n", 1, "rules", "Required")]
    [InlineData("name: x\nrules:\n  - actions:\n      - delay: {ms: -5}\n", 4, "rules[0].actions[0].delay.ms", "")]
    [InlineData("name: x\nrules:\n  - actions:\n      - explode: {}\n", 4, "rules[0].actions[0].explode", "unknown field")]
    [InlineData("name: x\nrules:\n  - actions: [hop]\n", 3, "rules[0].actions[0]", "")]
    [InlineData("name: x\nrules:\n  - actions: []\n", 3, "rules[0].actions", "")]
    [InlineData("name: x\nrules:\n  - match:\n      code: stor_req\n    actions: [drop]\n", 4, "rules[0].match.code", "not a message code")]
    [InlineData("name: x\nrules:\n  - match: {direction: sideways}\n    actions: [drop]\n", 3, "rules[0].match.direction", "")]
    [InlineData("name: x\nrules:\n  - probability: 2\n    actions: [drop]\n", 3, "rules[0].probability", "")]
    [InlineData("name: x\nrules:\n  - actions:\n      - mutate: {path: forwarding_header.ttl, op: set, value: 1, signature: resign}\n", 4, "rules[0].actions[0].mutate.signature", "needs 'as'")]
    [InlineData("name: x\nrules:\n  - actions:\n      - pass: {signature: resign, as: nobody}\n", 4, "rules[0].actions[0].pass.as", "no identity named 'nobody'")]
    [InlineData("name: x\nrules:\n  - actions:\n      - replay: {after_messages: 1, after_ms: 5}\n", 4, "rules[0].actions[0].replay", "exactly one")]
    [InlineData("name: x\nrules:\n  - actions:\n      - splice: {where: at, hex: xyz}\n", 4, "rules[0].actions[0].splice.hex", "")]
    [InlineData("name: x\nrules:\n  - actions:\n      - redirect: {to: nowhere}\n", 4, "rules[0].actions[0].redirect.to", "names no node")]
    [InlineData("name: x\nrules:\n  - actions:\n      - mutate: {path: forwarding_header.ttl, op: set}\n", 4, "rules[0].actions[0].mutate", "needs a value")]
    [InlineData("name: x\nrules:\n  - match:\n      fields: [{path: forwarding_header.ttl, op: lt}]\n    actions: [drop]\n", 4, "rules[0].match.fields[0]", "needs a value")]
    [InlineData("name: x\nidentities:\n  - name: a\n  - name: a\nrules: []\n", 4, "identities[1].name", "twice")]
    [InlineData("name: [x\nrules: []\n", 2, "(yaml)", "")]
    [InlineData("- just\n- a list\n", 1, "(document)", "mapping")]
    public void A_bad_file_gets_one_line_with_file_line_and_field(string yaml, int line, string field, string problem)
    {
        var e = Assert.Throws<ScenarioFileException>(() => ScenarioFile.Parse(yaml, "bad.yaml"));
        Assert.Equal("bad.yaml", e.File);
        Assert.Equal(line, e.Line);
        Assert.Equal(field, e.Field);
        Assert.Contains(problem, e.Problem, StringComparison.Ordinal);
        Assert.StartsWith($"bad.yaml:{line}: {field}: ", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void A_missing_key_file_is_named_with_its_line()
    {
        var dir = CliRunner.NewDirectory();
        var path = Path.Combine(dir, "s.yaml");
        File.WriteAllText(path, "name: x\nidentities:\n  - name: a\n    key: a/key.pem\n    cert: a/cert.pem\nrules: []\n");
        var e = Assert.Throws<ScenarioFileException>(() => ScenarioFile.Load(path));
        Assert.Equal((4, "identities[0].key"), (e.Line, e.Field));
        Assert.Contains("no such file", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_prints_the_normalised_scenario_or_one_line_with_exit_2()
    {
        var dir = CliRunner.NewDirectory();
        var good = Path.Combine(dir, "good.yaml");
        File.WriteAllText(good, "rules:\n  - {actions: [{delay: {jitter: 5, ms: 10}}], match: {code: 7}}\nname: good\n");
        var (code, output, error) = CliRunner.Run(dir, "scenario", "check", good);
        Assert.Equal(0, code);
        Assert.Equal("", error);
        Assert.Equal("name: good\nrules:\n- match:\n    code: store_req\n  actions:\n  - delay: {ms: 10, jitter: 5}\n", output.Replace("\r\n", "\n", StringComparison.Ordinal));

        var bad = Path.Combine(dir, "bad.yaml");
        File.WriteAllText(bad, "name: bad\nrules:\n  - actions:\n      - delay: {ms: 10, jiter: 5}\n");
        (code, output, error) = CliRunner.Run(dir, "scenario", "check", bad);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Equal($"{bad}:4: rules[0].actions[0].delay.jiter: unknown field", Assert.Single(CliRunner.Lines(error)));

        (code, _, error) = CliRunner.Run(dir, "scenario", "check", Path.Combine(dir, "missing.yaml"));
        Assert.Equal(2, code);
        Assert.Contains("no such file", Assert.Single(CliRunner.Lines(error)), StringComparison.Ordinal);
    }

    [Fact]
    public void The_schema_in_the_repository_is_the_one_the_loader_uses()
    {
        Assert.Equal(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "schemas", "scenario.schema.json")), ScenarioSchema.Text);
    }

    [Fact]
    public void Proxy_refuses_bad_inputs_with_one_line_before_listening()
    {
        var dir = CliRunner.NewDirectory();
        var bad = Path.Combine(dir, "bad.yaml");
        File.WriteAllText(bad, "name: bad\nrules: [{actions: [explode]}]\n");
        var (code, _, error) = CliRunner.Run(dir, "proxy", "--listen", "127.0.0.1:0", "--upstream", "127.0.0.1:9", "--transport", "insecure-tcp", "--scenario", bad);
        Assert.Equal(2, code);
        Assert.Equal($"p2psip: {bad}:2: rules[0].actions[0]: Value should match one of the values specified by the enum", Assert.Single(CliRunner.Lines(error)));

        (code, _, error) = CliRunner.Run(dir, "proxy", "--listen", "127.0.0.1:0", "--upstream", "127.0.0.1:9");
        Assert.Equal(2, code);
        Assert.Contains("--lab DIR is needed for TLS", Assert.Single(CliRunner.Lines(error)), StringComparison.Ordinal);
    }
}
