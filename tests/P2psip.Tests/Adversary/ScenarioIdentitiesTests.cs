using P2psip.Adversary;
using P2psip.Security;
using P2psip.Tests.Cli;
using P2psip.Tests.Security;
using P2psip.Wire;

namespace P2psip.Tests.Adversary;

/// <summary>Harness identities of a scenario: minted from the lab CA (or not trusted on purpose), or read from files; and the engine's checks of what rules refer to.</summary>
public class ScenarioIdentitiesTests
{
    private static readonly Scenario Scenario = ScenarioFile.Parse("""
        name: ids
        identities:
          - {name: insider, node_ids: ["0123456789abcdef0123456789abcdef"]}
          - {name: derived}
          - {name: foreign, issuer: foreign}
          - {name: self, issuer: self-signed}
          - {name: old, expired: true}
        rules: []
        """);

    [Fact]
    public void Minted_identities_are_what_the_scenario_says()
    {
        var ids = ScenarioIdentities.Resolve(Scenario, TestPki.Shared.Ca, seed: 7);
        var validator = TestPki.Shared.Validator;
        Assert.Equal(Opaque.FromHex("0123456789abcdef0123456789abcdef"), ids["insider"].NodeId);
        Assert.True(validator.Check(ids["insider"].Certificate.Der).Accepted);
        Assert.Equal(ScenarioIdentities.DerivedNodeId(7, "derived", 16), ids["derived"].NodeId.ToArray());
        Assert.True(validator.Check(ids["derived"].Certificate.Der).Accepted);
        foreach (var refused in new[] { "foreign", "self", "old" })
            Assert.False(validator.Check(ids[refused].Certificate.Der).Accepted, refused);
        // The same seed gives the same derived Node-ID; another seed another.
        Assert.Equal(ids["derived"].NodeId, ScenarioIdentities.Resolve(Scenario, TestPki.Shared.Ca, seed: 7)["derived"].NodeId);
        Assert.NotEqual(ids["derived"].NodeId, ScenarioIdentities.Resolve(Scenario, TestPki.Shared.Ca, seed: 8)["derived"].NodeId);
    }

    [Fact]
    public void Identities_from_files_are_read_beside_the_scenario()
    {
        var dir = CliRunner.NewDirectory();
        TestPki.Shared.Alice.Save(Path.Combine(dir, "alice"));
        var path = Path.Combine(dir, "s.yaml");
        File.WriteAllText(path, "name: files\nidentities:\n  - {name: alice, key: alice/key.pem, cert: alice/cert.pem}\nrules: []\n");
        var scenario = ScenarioFile.Load(path);
        var ids = ScenarioIdentities.Resolve(scenario, lab: null, seed: 1, baseDirectory: dir);
        Assert.Equal(TestPki.Shared.Alice.NodeId, ids["alice"].NodeId);
    }

    [Fact]
    public void Minting_without_a_lab_is_refused_by_name()
    {
        var e = Assert.Throws<ArgumentException>(() => ScenarioIdentities.Resolve(Scenario, lab: null, seed: 1));
        Assert.Contains("insider", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_engine_without_the_identity_a_rule_signs_as_is_refused_before_any_message()
    {
        var scenario = ScenarioFile.Parse("name: x\nidentities: [{name: ghost}]\nrules:\n  - actions: [{pass: {signature: resign, as: ghost}}]\n");
        var e = Assert.Throws<ArgumentException>(() => new AdversaryEngine(scenario, new AdversaryEngineOptions { Seed = 1 }));
        Assert.Contains("ghost", e.Message, StringComparison.Ordinal);
    }
}
