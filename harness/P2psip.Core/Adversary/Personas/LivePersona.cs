using P2psip.Peer;
using P2psip.Peer.Live;
using P2psip.Peer.Scheduling;
using P2psip.Security;

namespace P2psip.Adversary.Personas;

/// <summary>
/// A persona live on real links (issue 8: "usable in the simulator ... and live on loopback"): a
/// <see cref="LivePeer"/> whose link layer is wrapped in a <see cref="ScenarioLinkLayer"/>, so every
/// message it sends and receives on its TLS, DTLS or plaintext links goes through the scenario's
/// engine, on wall-clock time. The peer's code is the reference's (<see cref="LivePeerOptions.WrapLinks"/>).
/// The persona signs as the peer itself: a scenario identity it re-signs as must be a plain one
/// (no Node-IDs, files, foreign issuer or expiry), which stands for the peer's own identity, as a
/// liar in the simulator signs as itself. Redirects and replays to other nodes go over a link the
/// peer has open to them, else they are counted as undeliverable.
/// </summary>
public sealed class LivePersona
{
    private readonly Identity _own;

    public LivePersona(Scenario scenario, Identity own, ulong? seed = null, DecisionLog? log = null)
    {
        CheckUsable(scenario);
        _own = own;
        var signsAs = scenario.Rules.SelectMany(r => r.Actions).Select(a => a.Signature)
            .Where(s => s is { Mode: SignatureMode.Resign }).Select(s => s!.As).ToHashSet(StringComparer.Ordinal);
        Engine = new AdversaryEngine(scenario, new AdversaryEngineOptions
        {
            Seed = seed,
            Identities = scenario.Identities.Where(i => signsAs.Contains(i.Name)).ToDictionary(i => i.Name, _ => own, StringComparer.Ordinal),
            Log = log ?? DecisionLog.Discarding(),
        });
    }

    public AdversaryEngine Engine { get; }

    /// <summary>The persona's message layer, once the peer is created.</summary>
    public ScenarioLinkLayer? Layer { get; private set; }

    /// <summary>The peer's options with its links wrapped by this persona.</summary>
    public LivePeerOptions ApplyTo(LivePeerOptions options) => options with { WrapLinks = Wrap };

    private IPeerLinkLayer Wrap(IPeerLinkLayer links) =>
        Layer = new ScenarioLinkLayer(links, Engine, _own.NodeId, RealTimeScheduler.Instance);

    /// <summary>Throws, naming the identity, when the scenario signs as someone a single live peer cannot be.</summary>
    public static void CheckUsable(Scenario scenario)
    {
        foreach (var spec in scenario.Identities)
            if (spec.FromFiles || spec.Issuer != IdentityIssuer.Lab || spec.Expired || spec.NodeIds.Count > 0)
                throw new ArgumentException($"scenario {scenario.Name}: identity {spec.Name}: a live persona signs as the peer's own identity only (no node_ids, key/cert files, issuer or expired)");
    }
}
