using P2psip.Messages;
using P2psip.Overlay;
using P2psip.Peer;
using P2psip.Peer.Chord;
using P2psip.Peer.InMemory;
using P2psip.Peer.Scheduling;
using P2psip.Peer.Storage;
using P2psip.Peer.Transport;
using P2psip.Wire;

namespace P2psip.Fuzz.Targets.Peer;

/// <summary>
/// A small converged ring of reference peers (<see cref="FuzzIdentities.RingSize"/>) over in-memory
/// links on virtual time, every defence on and every message signed and verified, each peer's
/// certificate stored in the overlay (CERTIFICATE_BY_NODE and _BY_USER, §8), and a harness peer
/// linked to one of them (<see cref="Target"/>), which receives the inputs.
/// </summary>
public sealed class FuzzRing
{
    /// <summary>Events one input may cause at most before the scheduler counts as not terminating.</summary>
    public const long MaxEventsPerInput = 200_000;

    private readonly List<(ReferencePeer Peer, EngineStorageHandler Storage)> _peers = [];
    private string _baseline = "";

    private FuzzRing()
    {
        Scheduler = new VirtualScheduler(Start); // inside the fixed identities' validity
        Network = new InMemoryNetwork(Scheduler);
    }

    /// <summary>Virtual time when a ring is built: fixed, so that runs are reproducible.</summary>
    public static DateTimeOffset Start { get; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static OverlayConfiguration Configuration { get; } = new() { InstanceName = FuzzIdentities.Overlay };

    public VirtualScheduler Scheduler { get; }
    public InMemoryNetwork Network { get; }
    public IReadOnlyList<(ReferencePeer Peer, EngineStorageHandler Storage)> Peers => _peers;

    /// <summary>The peer the inputs are delivered to.</summary>
    public ReferencePeer Target => _peers[1].Peer;

    /// <summary>The harness end of the link to <see cref="Target"/>.</summary>
    public IPeerLink Link { get; private set; } = null!;

    /// <summary>Bodies of the messages that came back to the harness peer (answers, errors, requests of the target's own).</summary>
    public List<ReadOnlyMemory<byte>> Received { get; } = [];

    /// <summary>How many inputs this ring has been given.</summary>
    public int Inputs { get; set; }

    public static FuzzRing Build()
    {
        var ids = FuzzIdentities.Shared;
        var ring = new FuzzRing();
        for (int i = 0; i < ids.Peers.Count; i++)
        {
            var identity = ids.Peers[i];
            var storage = new EngineStorageHandler(Configuration, DefenceSwitches.AllOn, ring.Scheduler);
            var options = new PeerOptions
            {
                Configuration = Configuration,
                NodeId = identity.NodeId,
                Identity = identity,
                Scheduler = ring.Scheduler,
                Random = new Random(i + 1),
                Chord = new ChordOptions { Stabilize = false },
            };
            var peer = new ReferencePeer(options, ring.Network.Attach(identity.NodeId, identity.Certificate), storage);
            ring._peers.Add((peer, storage));
            if (i == 0) peer.StartFirst();
            else
            {
                string? failure = "did not finish";
                peer.Join(ring._peers[0].Peer.Address, why => failure = why);
                ring.Idle();
                if (failure is not null) throw new InvalidOperationException($"fuzz ring: peer {i} did not join: {failure}");
            }
        }
        // A few values: every peer publishes its certificate (§8) through the overlay.
        foreach (var (peer, _) in ring._peers)
            foreach (var store in CertificateUsage.Publish(peer.Options.Identity!, ring.Scheduler.Now, lifetimeSeconds: 30 * 24 * 3600))
            {
                RequestOutcome? outcome = null;
                peer.Send(new ResourceDestination(store.Resource), store, o => outcome = o);
                ring.Idle();
                if (outcome?.Body is not Messages.Storage.StoreAns)
                    throw new InvalidOperationException($"fuzz ring: a certificate Store failed: {outcome?.Body}");
            }

        var harness = ring.Network.Attach(ids.HarnessNodeId, ids.Harness.Certificate);
        harness.Listen(link => link.Close());
        harness.Connect(ring.Target.Address, ring.Target.NodeId, (link, why) =>
            ring.Link = link ?? throw new InvalidOperationException($"fuzz ring: the harness could not link to the target: {why}"));
        ring.Idle();
        ring.Link.Start((_, bytes) => { if (ring.Received.Count < 64) ring.Received.Add(bytes); }, _ => { });
        ring._baseline = ring.Fingerprint();
        return ring;
    }

    /// <summary>Runs the scheduler until nothing is left; false when it hit <see cref="MaxEventsPerInput"/> first.</summary>
    public bool Idle() => Scheduler.RunUntilIdle(MaxEventsPerInput);

    /// <summary>Whether the routing state, the links, the stored data or the transactions differ from the ring as built.</summary>
    public bool ChangedSinceBuilt => Fingerprint() != _baseline;

    /// <summary>
    /// Everything an input can leave behind that later inputs could see, apart from the replay
    /// cache (which the target outlives by moving time on) and the peers' random number generators.
    /// </summary>
    private string Fingerprint() => string.Join("\n", _peers.Select(p =>
    {
        var s = p.Peer.Snapshot();
        return $"{s.State} pred {Hex(s.Predecessors)} succ {Hex(s.Successors)} fingers {Hex(s.Fingers)} links {Hex(s.Connections)} " +
            $"| {p.Storage.Engine.Usage} stores {p.Storage.StoresAccepted} | pending {p.Peer.Transport.PendingTransactions}";
    }));

    private static string Hex(IEnumerable<Opaque> ids) => string.Join(",", ids.Select(i => i.ToHex()));
}
