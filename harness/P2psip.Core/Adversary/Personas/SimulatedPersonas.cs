using P2psip.Messages;
using P2psip.Peer;
using P2psip.Peer.Simulation;
using P2psip.Security;
using P2psip.Wire;

namespace P2psip.Adversary.Personas;

/// <summary>
/// Puts a scenario's persona on peers of a <see cref="SimulatedRing"/>: each persona peer is a
/// reference peer whose link layer is a <see cref="ScenarioLinkLayer"/> with an engine of its own
/// (seeded from the run seed and the persona's index, so a seed replays a run). Identities come from
/// the ring's virtual-time CA (<see cref="SimulatedRing.Issue"/>): a scenario identity with Node-IDs
/// is one certificate for them, shared by every persona peer (a Sybil's, a colluder's); one without
/// is the persona peer's own enrolled identity (a liar signs as itself). In an unsigned ring, a CA of
/// the personas' own stands in (nobody verifies). Foreign, self-signed, expired and file identities
/// are for the proxy, not here.
/// </summary>
public sealed class SimulatedPersonas
{
    private readonly SimulatedRing _ring;
    private readonly Dictionary<string, Identity> _shared = new(StringComparer.Ordinal);
    private readonly Dictionary<Opaque, ScenarioLinkLayer> _layers = [];
    private readonly List<ReferencePeer> _members = [];
    private readonly EnrollmentAuthority? _ownCa;

    public SimulatedPersonas(SimulatedRing ring, Scenario scenario, ulong? seed = null, bool keepDecisions = true)
    {
        _ring = ring;
        Scenario = scenario;
        Seed = seed ?? scenario.Seed ?? (ulong)ring.Seed;
        KeepDecisions = keepDecisions;
        CheckUsable(scenario);
        if (!ring.Signatures) _ownCa = EnrollmentAuthority.Create(ring.Configuration.InstanceName, maxNodesPerUser: int.MaxValue);
    }

    /// <summary>Throws when the scenario has an identity the simulator cannot give (files, foreign, self-signed, expired).</summary>
    public static void CheckUsable(Scenario scenario)
    {
        foreach (var spec in scenario.Identities)
            if (spec.FromFiles || spec.Issuer != IdentityIssuer.Lab || spec.Expired)
                throw new ArgumentException($"scenario {scenario.Name}: identity {spec.Name}: only identities from the overlay's CA can be used in the simulator");
    }

    public Scenario Scenario { get; }

    /// <summary>
    /// Virtual time run after each persona's join, instead of running the ring until it is quiet:
    /// an attack can keep an undefended ring busy for ever (a poisoner's fabricated neighbours cause
    /// an endless round of Updates), so the ring is not waited on to go quiet.
    /// </summary>
    public TimeSpan Settle { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A round of finger refreshes on every live peer (§10.7.4.2), then <see cref="Settle"/> of virtual time.</summary>
    public void Stabilize()
    {
        foreach (var p in _ring.Live.ToList()) p.RefreshFingers();
        _ring.RunFor(Settle);
    }

    public ulong Seed { get; }
    /// <summary>Keep every engine's decisions in memory (tests read them); off for large populations.</summary>
    public bool KeepDecisions { get; }
    public IReadOnlyList<ReferencePeer> Members => _members;

    /// <summary>The Node-IDs the scenario's identities name: where a Sybil or a colluder sits.</summary>
    public IReadOnlyList<(string Identity, Opaque NodeId)> ChosenPositions =>
        Scenario.Identities.SelectMany(i => i.NodeIds.Select(n => (i.Name, n))).ToList();

    public bool IsMember(Opaque nodeId) => _layers.ContainsKey(nodeId);

    public ScenarioLinkLayer LayerOf(ReferencePeer peer) => _layers[peer.NodeId];

    /// <summary>
    /// Makes a persona peer (at <paramref name="nodeId"/>, or at a Node-ID drawn by the ring) and
    /// joins it through a random live member. Null, or why it could not enroll or join.
    /// </summary>
    public string? TryJoin(out ReferencePeer? peer, Opaque? nodeId = null, DefenceSwitches? defences = null)
    {
        peer = null;
        Identity? own = null;
        if (nodeId is { } chosen && _ring.Signatures)
        {
            // A chosen position is one of the scenario's identities: the persona is enrolled as it.
            var spec = Scenario.Identities.FirstOrDefault(i => i.NodeIds.Contains(chosen));
            try { own = spec is null ? _ring.Issue($"persona{_members.Count}@{_ring.Configuration.InstanceName}", chosen) : Shared(spec); }
            catch (EnrollmentRefusedException e) { return $"enrollment refused: {e.Message}"; }
        }
        int index = _members.Count;
        var previous = _ring.CustomizeLinkLayer;
        _ring.CustomizeLinkLayer = (options, links) =>
        {
            var identities = Identities(options.Identity ?? own, options.NodeId);
            var engine = new AdversaryEngine(Scenario, new AdversaryEngineOptions
            {
                Seed = unchecked(Seed + (ulong)index * 0x9E3779B97F4A7C15UL),
                Identities = identities,
                Log = KeepDecisions ? new DecisionLog() : DecisionLog.Discarding(),
            });
            var layer = new ScenarioLinkLayer(previous?.Invoke(options, links) ?? links, engine, options.NodeId, options.Scheduler, Locate);
            _layers[options.NodeId] = layer;
            return layer;
        };
        ReferencePeer created;
        try
        {
            try { created = _ring.CreatePeer(defences, nodeId, own); }
            catch (EnrollmentRefusedException e) { return $"enrollment refused: {e.Message}"; }
        }
        finally { _ring.CustomizeLinkLayer = previous; }
        _members.Add(created);
        peer = created;
        return _ring.Join(created, Settle);
    }

    /// <summary>
    /// The identities one persona peer signs as (only those its rules re-sign as are enrolled, so a
    /// Sybil's unused identities do not count against the CA's cap).
    /// </summary>
    private Dictionary<string, Identity> Identities(Identity? own, Opaque nodeId)
    {
        var signsAs = Scenario.Rules.SelectMany(r => r.Actions).Select(a => a.Signature)
            .Where(s => s is { Mode: SignatureMode.Resign }).Select(s => s!.As).ToHashSet(StringComparer.Ordinal);
        var result = new Dictionary<string, Identity>(StringComparer.Ordinal);
        foreach (var spec in Scenario.Identities.Where(i => signsAs.Contains(i.Name)))
            result[spec.Name] = spec.NodeIds.Count > 0 ? Shared(spec) : own ?? OwnCa($"{spec.Name}@{_ring.Configuration.InstanceName}", nodeId);
        return result;
    }

    private Identity Shared(ScenarioIdentity spec)
    {
        if (_shared.TryGetValue(spec.Name, out var identity)) return identity;
        var user = spec.User ?? $"{spec.Name}@{_ring.Configuration.InstanceName}";
        identity = _ring.Signatures ? _ring.Issue(user, [.. spec.NodeIds]) : OwnCa(user, [.. spec.NodeIds]);
        _shared[spec.Name] = identity;
        return identity;
    }

    private Identity OwnCa(string user, params Opaque[] nodeIds)
    {
        var keys = KeyPairs.Generate(KeyAlgorithm.EcdsaP256);
        var now = _ring.Scheduler.Now.UtcDateTime;
        return new Identity(keys, _ownCa!.Issue(keys.Public, user, nodeIds.Select(n => n.ToArray()), now.AddDays(-1), now.AddDays(365)));
    }

    private IpAddressPort? Locate(Opaque nodeId) =>
        _ring.Peers.FirstOrDefault(p => p.NodeId == nodeId && p.State == PeerState.Joined)?.Address;
}
