using P2psip.Adversary;
using P2psip.Messages;
using P2psip.Wire;

namespace P2psip.Replay;

/// <summary>
/// <c>p2psip scenario from-pcap</c> (issue 9): the requests of a capture become steps of a scenario
/// — each sent as captured (hex), from an identity standing in for its captured sender (the
/// signer's Node-ID and user name, as replay's stand-ins have), with every rewrite — and each
/// captured answer becomes the step's expectation, compared structurally; a request the capture
/// holds no answer for expects none. The capture's responders become the scenario's, so the
/// destination rewrite points at the target.
/// </summary>
public static class ScenarioFromCapture
{
    public static Scenario Build(ReplayCapture capture, string name, string? description = null)
    {
        var senders = new Dictionary<string, ScenarioIdentity>(StringComparer.Ordinal);
        var steps = new List<ScenarioStep>();
        foreach (var exchange in capture.Exchanges)
        {
            var signer = ReplayCapture.SignerCertificate(exchange.Request);
            var key = exchange.Sender + "/" + (signer is { NodeIds.Count: > 0 } ? signer.NodeIds[0].ToHex() : "-");
            if (!senders.TryGetValue(key, out var identity))
            {
                identity = new ScenarioIdentity($"sender{senders.Count + 1}")
                {
                    NodeIds = signer is { NodeIds.Count: > 0 } ? [signer.NodeIds[0]] : ValueList<Opaque>.Empty,
                    User = signer?.UserName is { } user && user.Contains('@') ? user : null,
                };
                senders[key] = identity;
            }
            steps.Add(new ScenarioStep(StepMessage.Captured(ReloadCodec.Encode(exchange.Request)))
            {
                Name = $"frame {exchange.FrameNumber} {exchange.Name}",
                From = identity.Name,
                Expect = exchange.Answer is { } answer ? StepExpectation.SameAs(ReloadCodec.Encode(answer)) : StepExpectation.NoAnswer,
            });
        }
        return new Scenario(name)
        {
            Description = description,
            Identities = senders.Values.ToArray(),
            Responders = capture.ResponderNodeIds.OrderBy(id => id.ToHex(), StringComparer.Ordinal).ToArray(),
            Steps = steps.ToArray(),
        };
    }
}
