using P2psip.Messages;
using P2psip.Overlay;
using P2psip.Peer.Chord;
using P2psip.Peer.InMemory;
using P2psip.Peer.Scheduling;
using P2psip.Peer.Storage;
using P2psip.Peer.Transport;
using P2psip.Security;
using P2psip.Wire;

namespace P2psip.Peer.Simulation;

/// <summary>
/// Many reference peers in one process over in-memory links, on virtual time, every random choice
/// drawn from one seed: Node-IDs, bootstrap choices, transaction ids, lookup targets. Peers join
/// one after another through a randomly chosen member, as §10.5 describes. Signed rings have one
/// clock: certificates are issued for virtual time and checked against it, by the signature
/// validator (§13.3) and by the storage engine (§7.1) alike.
/// </summary>
public sealed class SimulatedRing
{
    private readonly Random _random;
    private readonly List<ReferencePeer> _peers = [];
    private readonly LivePeerList _live = new();
    private readonly Func<Opaque, IStorageHandler?>? _storageFactory;
    private readonly bool _engineStorage;
    private readonly EnrollmentAuthority? _ca;

    /// <param name="engineStorage">Each peer stores with the real <see cref="StorageEngine"/> (<see cref="PeerStorageHandler"/>) unless <paramref name="storageFactory"/> gives another.</param>
    public SimulatedRing(int seed, bool signatures = false, IEnumerable<string>? disabledDefences = null,
        Func<Opaque, IStorageHandler?>? storageFactory = null, ChordOptions? chord = null, bool engineStorage = false)
    {
        Seed = seed;
        _random = new Random(seed);
        Signatures = signatures;
        _storageFactory = storageFactory;
        _engineStorage = engineStorage;
        Scheduler = new VirtualScheduler();
        Network = new InMemoryNetwork(Scheduler);
        Configuration = new OverlayConfiguration { InstanceName = "sim.overlay" };
        if (signatures)
        {
            _ca = EnrollmentAuthority.Create(Configuration.InstanceName, maxNodesPerUser: int.MaxValue);
            Configuration = Configuration with { RootCertificates = [_ca.Root.GetEncoded()] };
            // Dates are checked against virtual time, the clock the storage engine reads too (§7.1, §13.3).
            Validator = new CertificateValidator([_ca.Root], Configuration.InstanceName) { Now = () => Scheduler.Now.UtcDateTime };
        }
        var defences = DefenceSwitches.AllOn;
        if (!signatures) defences = defences.Disable(DefenceSwitches.MessageSignatures);
        Defences = defences.Disable(disabledDefences ?? []);
        Chord = chord ?? new ChordOptions { Stabilize = false };
    }

    public int Seed { get; }
    public bool Signatures { get; }
    public VirtualScheduler Scheduler { get; }
    public InMemoryNetwork Network { get; }
    public OverlayConfiguration Configuration { get; }
    public DefenceSwitches Defences { get; }
    public ChordOptions Chord { get; }

    /// <summary>Signed rings: checks every signer's certificate against the ring's CA, on virtual time.</summary>
    public CertificateValidator? Validator { get; }
    public IReadOnlyList<ReferencePeer> Peers => _peers;
    public IEnumerable<ReferencePeer> Live => _peers.Where(p => p.State == PeerState.Joined);
    public Random Random => _random;

    /// <summary>Changes each new peer's options (bounds, timers, a persona's behaviour) before the peer is built.</summary>
    public Func<PeerOptions, PeerOptions>? CustomizeOptions { get; set; }

    /// <summary>
    /// Wraps each new peer's link layer before the peer is built: where a persona's scenario is put
    /// on the peer's messages (the adversary's <c>ScenarioLinkLayer</c>); null keeps the network's own.
    /// </summary>
    public Func<PeerOptions, IPeerLinkLayer, IPeerLinkLayer>? CustomizeLinkLayer { get; set; }

    /// <summary>
    /// The enrollment cap of the ring's CA (§11.3, UN-1b: Node-IDs per user); <see cref="Issue"/>
    /// refuses a user's identity beyond it. Unlimited by default, as the ring's own peers are one user each.
    /// </summary>
    public int MaxNodesPerUser { get; init; } = int.MaxValue;

    private readonly Dictionary<string, int> _issuedPerUser = new(StringComparer.Ordinal);

    public string SignatureMode => Signatures
        ? "ECDSA P-256 identities from an in-process CA; every message signed and verified"
        : "off: unsigned messages, message-signatures defence disabled, Node-IDs from the seeded PRNG without certificates";

    /// <summary>Makes a peer with a seeded Node-ID (not yet started).</summary>
    public ReferencePeer CreatePeer(DefenceSwitches? defences = null) => CreatePeer(defences, null, null);

    /// <summary>
    /// Makes a peer (not yet started) at a chosen Node-ID with a chosen identity (a persona placed on
    /// the ring, say); either left null is drawn as for the ring's own peers.
    /// </summary>
    public ReferencePeer CreatePeer(DefenceSwitches? defences, Opaque? chosenNodeId, Identity? chosenIdentity)
    {
        Opaque nodeId;
        if (chosenNodeId is { } chosen) nodeId = chosen;
        else
        {
            var drawn = new byte[RingId.Bytes];
            _random.NextBytes(drawn);
            nodeId = drawn;
        }
        var identity = chosenIdentity ?? (Signatures ? Issue($"peer{_peers.Count}@{Configuration.InstanceName}", nodeId) : null);
        var options = new PeerOptions
        {
            Configuration = Configuration,
            NodeId = nodeId,
            Identity = identity,
            Validator = Validator,
            Defences = defences ?? Defences,
            Scheduler = Scheduler,
            Random = new Random(_random.Next()),
            Chord = Chord,
        };
        if (CustomizeOptions is { } customize) options = customize(options);
        var storage = _storageFactory?.Invoke(nodeId);
        if (storage is null && _engineStorage)
        {
            var engine = new PeerStorageHandler(Configuration, options.Defences, Scheduler, identity?.Certificate);
            if (identity is not null) engine.Learn(identity.Certificate);
            storage = engine;
        }
        IPeerLinkLayer links = Network.Attach(nodeId, identity?.Certificate);
        if (CustomizeLinkLayer is { } wrap) links = wrap(options, links);
        var peer = new ReferencePeer(options, links, storage);
        _peers.Add(peer);
        _live.Track(peer);
        return peer;
    }

    /// <summary>
    /// An identity from the ring's CA (signed rings only) for a user and Node-IDs, valid from a day
    /// before the virtual now for a year: for the ring's peers and for a test's own nodes.
    /// </summary>
    public Identity Issue(string userName, params Opaque[] nodeIds)
    {
        if (_ca is null) throw new InvalidOperationException("an unsigned ring has no CA");
        _issuedPerUser.TryGetValue(userName, out int issued);
        if (issued + nodeIds.Length > MaxNodesPerUser)
            throw new EnrollmentRefusedException(EnrollmentError.NodeIdsNotAvailable,
                $"{nodeIds.Length} Node-ID(s) asked, {issued} of at most {MaxNodesPerUser} already issued to {userName} (§11.3)");
        _issuedPerUser[userName] = issued + nodeIds.Length;
        var keys = KeyPairs.Generate(KeyAlgorithm.EcdsaP256);
        var now = Scheduler.Now.UtcDateTime;
        return new Identity(keys, _ca.Issue(keys.Public, userName, nodeIds.Select(id => id.ToArray()), now.AddDays(-1), now.AddDays(365)));
    }

    /// <summary>Starts the first peer, then joins <paramref name="count"/> - 1 more one at a time.</summary>
    public void Build(int count, Action<int>? progress = null)
    {
        if (_peers.Count == 0)
        {
            CreatePeer().StartFirst();
            count--;
        }
        for (int i = 0; i < count; i++)
        {
            JoinOne();
            progress?.Invoke(_peers.Count);
        }
    }

    /// <summary>
    /// Places <paramref name="count"/> peers at once on an empty ring (<see cref="BulkJoin"/>: the same
    /// Node-IDs as <see cref="Build"/>, tables computed from the sorted ring, links opened, then settled
    /// by the protocol's Updates): the fast option for large rings; <see cref="Build"/> is the protocol path.
    /// </summary>
    public void BuildInBulk(int count, Action<int>? progress = null) => BulkJoin.Place(this, count, progress);

    /// <summary>Joins one new peer through a random live member and runs until the ring is quiet.</summary>
    public ReferencePeer JoinOne(DefenceSwitches? defences = null)
    {
        var live = _live.Peers;
        var bootstrap = live[_random.Next(live.Count)];
        var peer = CreatePeer(defences);
        if (JoinThrough(peer, bootstrap) is { } failure) throw new InvalidOperationException($"peer {peer.NodeId.ToHex()} did not join: {failure}");
        return peer;
    }

    /// <summary>Joins a peer made by <see cref="CreatePeer(DefenceSwitches?, Opaque?, Identity?)"/> through a random live member; null, or why it failed.</summary>
    /// <param name="settle">Virtual time to run once the join has ended; null runs until the ring is quiet (<see cref="RunQuiet"/>).</param>
    public string? Join(ReferencePeer peer, TimeSpan? settle = null)
    {
        var live = Live.ToList();
        return JoinThrough(peer, live[_random.Next(live.Count)], settle);
    }

    private string? JoinThrough(ReferencePeer peer, ReferencePeer bootstrap, TimeSpan? settle = null)
    {
        string? failure = "did not finish";
        bool finished = false;
        peer.Join(bootstrap.Address, why => { failure = why; finished = true; });
        for (int i = 0; i < 600 && !finished; i++) Scheduler.RunFor(TimeSpan.FromSeconds(1));
        if (settle is { } span) Scheduler.RunFor(span);
        else RunQuiet();
        return failure;
    }

    /// <summary>
    /// Lets the ring settle: runs until no event is left, or, when stabilisation timers keep
    /// re-arming themselves, for a minute of virtual time.
    /// </summary>
    public void RunQuiet()
    {
        if (Chord.Stabilize) Scheduler.RunFor(TimeSpan.FromMinutes(1));
        else Scheduler.RunUntilIdle(50_000_000);
    }

    public void RunFor(TimeSpan span) => Scheduler.RunFor(span);

    /// <summary>A round of finger refreshes on every live peer (§10.7.4.2).</summary>
    public void Stabilize()
    {
        foreach (var p in Live.ToList()) p.RefreshFingers();
        RunQuiet();
    }

    /// <summary>The live peer truly responsible for an id: the first live Node-ID at or after it (§10.1).</summary>
    public RingId TrueResponsible(RingId k) => TrueResponsible(SortedLive(), k);

    private static RingId TrueResponsible(List<RingId> sorted, RingId k)
    {
        int i = sorted.BinarySearch(k);
        if (i < 0) i = ~i;
        return sorted[i == sorted.Count ? 0 : i];
    }

    public List<RingId> SortedLive() => Live.Select(p => p.Self).OrderBy(x => x).ToList();

    /// <summary>How many live peers have exactly the true successor and predecessor first in their tables.</summary>
    public (int Successors, int Predecessors) CountCorrectNeighbours()
    {
        var ids = SortedLive();
        var index = ids.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i);
        int succ = 0, pred = 0;
        foreach (var p in Live)
        {
            var s = p.Snapshot();
            int i = index[p.Self];
            var trueSucc = ids[(i + 1) % ids.Count];
            var truePred = ids[(i - 1 + ids.Count) % ids.Count];
            if (ids.Count == 1 ? s.Successors.Count == 0 : s.Successors.Count > 0 && RingId.From(s.Successors[0]) == trueSucc) succ++;
            if (ids.Count == 1 ? s.Predecessors.Count == 0 : s.Predecessors.Count > 0 && RingId.From(s.Predecessors[0]) == truePred) pred++;
        }
        return (succ, pred);
    }

    /// <summary>
    /// Routes a Ping from a random live peer to each of <paramref name="count"/> random Resource-IDs;
    /// a lookup succeeds when the peer truly responsible for the id answers.
    /// </summary>
    public LookupResults Lookups(int count)
    {
        var live = Live.ToList();
        var outcomes = new List<(RingId Target, RequestOutcome? Outcome)>();
        long before = Network.MessagesDelivered;
        for (int i = 0; i < count; i++)
        {
            var target = new byte[RingId.Bytes];
            _random.NextBytes(target);
            var origin = live[_random.Next(live.Count)];
            int slot = outcomes.Count;
            outcomes.Add((RingId.From(target), null));
            origin.Send(new ResourceDestination(target), new Messages.Link.PingReq(Opaque.Empty), o => outcomes[slot] = (outcomes[slot].Target, o));
        }
        RunQuiet();
        long messages = Network.MessagesDelivered - before;
        var hops = new List<int>();
        var each = new List<LookupOutcome>(count);
        var sorted = SortedLive();
        int ok = 0;
        foreach (var (target, outcome) in outcomes)
        {
            bool answered = outcome is not null && !outcome.IsError;
            bool correct = answered && RingId.From(outcome!.Responder) == TrueResponsible(sorted, target);
            each.Add(new LookupOutcome(target, answered ? RingId.From(outcome!.Responder) : null, answered ? outcome!.Hops : null, correct));
            if (!correct) continue;
            ok++;
            hops.Add(outcome!.Hops);
        }
        return new LookupResults(count, ok, hops, messages) { Each = each };
    }
}

/// <summary>One lookup of a batch: its target, who answered (null: an error or no answer) after how many hops, and whether that is the truly responsible peer.</summary>
public sealed record LookupOutcome(RingId Target, RingId? Responder, int? Hops, bool Correct);

/// <summary>The results of a batch of lookups.</summary>
public sealed record LookupResults(int Count, int Succeeded, IReadOnlyList<int> Hops, long Messages)
{
    /// <summary>Every lookup, in the order they were made.</summary>
    public IReadOnlyList<LookupOutcome> Each { get; init; } = [];

    public double SuccessRate => Count == 0 ? 1 : (double)Succeeded / Count;
    public double MeanHops => Hops.Count == 0 ? 0 : Hops.Average();
    public int Percentile(double p)
    {
        if (Hops.Count == 0) return 0;
        var sorted = Hops.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
    }
}
