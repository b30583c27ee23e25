using FsCheck;
using FsCheck.Fluent;
using P2psip.Adversary;
using P2psip.Tests.Generators;
using P2psip.Tests.Properties;

namespace P2psip.Tests.Adversary;

/// <summary>load(save(s)) = s over generated scenarios, and save is stable (TLS-Attacker's "serialise and reload unchanged").</summary>
public class ScenarioRoundTripProperties
{
    private static readonly int Runs = int.TryParse(Environment.GetEnvironmentVariable("P2PSIP_PROPERTY_RUNS"), out var n) ? n : 200;

    [Fact]
    public void Load_of_save_is_the_same_scenario()
    {
        Check.One(PropertyConfig.Create(Runs), Prop.ForAll(ScenarioGen.Scenario.ToArbitrary(), scenario =>
        {
            var text = ScenarioFile.Save(scenario);
            Scenario loaded;
            try { loaded = ScenarioFile.Parse(text); }
            catch (ScenarioFileException e) { throw new InvalidOperationException($"{e.Message}\n{text}"); }
            if (!loaded.Equals(scenario)) throw new InvalidOperationException($"reloaded differently:\n{text}\n---\n{ScenarioFile.Save(loaded)}");
            return ScenarioFile.Save(loaded) == text;
        }));
    }
}
