using P2psip.Adversary;
using P2psip.Messages;
using P2psip.Replay;
using P2psip.Wire;

namespace P2psip.NetFuzz;

/// <summary>
/// The scenario file of a failure folder (issue 12: "a scenario file that reproduces it"): the
/// failing session's messages as steps, in order, each from its party's identity (with the
/// Node-ID the campaign gave it, read from its certificate), sent as they went on the wire and
/// awaited by nobody — as the campaign sent them — and after the last one the liveness
/// expectation: lost. Decodable messages are rebuilt for the target (overlay, destination,
/// re-signed: the lab's keys are new every run) but keep their transaction ids, so duplicates and
/// replays stay what they were; messages that do not decode go byte for byte.
/// <c>p2psip scenario run scenario.yaml --target embedded --inject-fault NAME --seed S</c> reruns it.
/// </summary>
public static class FailureScenario
{
    public const string FileName = "scenario.yaml";

    public static ReplayRewrites Rewrites => ReplayRewrites.Overlay | ReplayRewrites.Destination | ReplayRewrites.Signature;

    public static Scenario Build(FuzzCaseOutcome outcome, FuzzSettings settings)
    {
        var nodeIds = new Dictionary<int, Opaque>();
        var destinations = new HashSet<Opaque>();
        foreach (var m in outcome.Sent)
        {
            var decoded = ReloadCodec.DecodeCopy(m.Bytes);
            if (!decoded.IsSuccess) continue;
            if (!nodeIds.ContainsKey(m.Party) && ReplayCapture.SignerCertificate(decoded.Value) is { NodeIds.Count: > 0 } certificate)
                nodeIds[m.Party] = certificate.NodeIds[0];
            if (decoded.Value.Header.DestinationList is { Count: > 0 } list && list[^1] is NodeDestination node) destinations.Add(node.NodeId);
        }
        var parties = outcome.Sent.Select(m => m.Party).Distinct().Order().ToList();
        var identities = parties.Select(p => new ScenarioIdentity(FuzzParties.Names[p])
        {
            NodeIds = nodeIds.TryGetValue(p, out var id) ? [id] : ValueList<Opaque>.Empty,
        }).ToArray();
        // The SUT is whatever Node-ID the session sent to that is none of the parties'.
        var responders = destinations.Where(d => !nodeIds.ContainsValue(d)).OrderBy(d => d.ToHex(), StringComparer.Ordinal).ToArray();
        var steps = outcome.Sent.Select((m, i) => new ScenarioStep(StepMessage.Captured(m.Bytes))
        {
            Name = $"message {i}: {m.Label}",
            From = FuzzParties.Names[m.Party],
            Rewrites = Rewrites,
            Expect = i == outcome.Sent.Count - 1 ? StepExpectation.LivenessAfter(StepLiveness.Lost) : null,
        }).ToArray();
        return new Scenario($"fuzz-failure-{outcome.Id}")
        {
            Description = $"fuzz case {outcome.Id} (digest {outcome.Digest}): liveness after it was {outcome.Liveness}. Rerun: {RunCommand(FileName, settings)}",
            Identities = identities,
            Responders = responders,
            Steps = steps,
        };
    }

    /// <summary>The command that runs the scenario against the campaign's target (embedded: the same seed and fault).</summary>
    public static string RunCommand(string path, FuzzSettings settings) =>
        $"p2psip scenario run {path} --target {settings.Target}" +
        (settings.Lab is { } lab ? $" --lab {lab}" : "") +
        (settings.Transport != "tls" ? $" --transport {settings.Transport}" : "") +
        (settings.InjectedFault is { } fault && settings.IsEmbedded ? $" --inject-fault {fault}" : "") +
        $" --seed {settings.Seed}";
}
