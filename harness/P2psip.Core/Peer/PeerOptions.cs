using P2psip.Overlay;
using P2psip.Peer.Chord;
using P2psip.Peer.Scheduling;
using P2psip.Security;
using P2psip.Wire;

namespace P2psip.Peer;

/// <summary>Everything a <see cref="ReferencePeer"/> is made from, besides its link layer and storage.</summary>
public sealed record PeerOptions
{
    public required OverlayConfiguration Configuration { get; init; }

    /// <summary>The Node-ID this peer uses; it must be one of <see cref="Identity"/>'s when there is one.</summary>
    public required Opaque NodeId { get; init; }

    /// <summary>
    /// Signs every message (§6.3.4). Null only for the simulator's cheap mode, where messages go
    /// unsigned and the message-signatures defence must be off.
    /// </summary>
    public Identity? Identity { get; init; }

    /// <summary>Checks signers' certificates (root, dates, overlay); null accepts any certificate that verifies the signature.</summary>
    public CertificateValidator? Validator { get; init; }

    public DefenceSwitches Defences { get; init; } = DefenceSwitches.AllOn;
    public IScheduler Scheduler { get; init; } = RealTimeScheduler.Instance;

    /// <summary>
    /// Every random choice: transaction ids (§6.3.2), Attach credentials (§6.5.1), timer offsets.
    /// Live peers keep the default, a cryptographic source, so an attacker cannot predict a
    /// transaction id; the simulator passes a seeded <see cref="System.Random"/> so a seed replays a run.
    /// </summary>
    public Random Random { get; init; } = CryptographicRandom.Instance;

    public ChordOptions Chord { get; init; } = new();

    /// <summary>What this peer does at each hook of <see cref="IPeerBehaviour"/>: honest by default; the adversary's personas lie.</summary>
    public IPeerBehaviour Behaviour { get; init; } = HonestBehaviour.Instance;

    /// <summary>Outstanding requests this peer originates at most (bounded memory, §6.2.1).</summary>
    public int MaxTransactions { get; init; } = 1024;

    /// <summary>TEST-ONLY (issue 12): a planted defect for the network fuzzer to find; null in every real run.</summary>
    public InjectedFault? InjectedFault { get; init; }

    /// <summary>Recently answered requests remembered for retransmissions and replays (§6.2.1).</summary>
    public int RecentRequestCapacity { get; init; } = 4096;

    /// <summary>The maximum request lifetime (§6.2.1: 15 seconds): how long a seen transaction id is answered from memory.</summary>
    public TimeSpan RequestLifetime { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Transmissions of a request at most before Error_Request_Timeout (§6.2.1: "up to 4 times, for a total of 5 messages").</summary>
    public int MaxTransmissions { get; init; } = 5;

    /// <summary>
    /// The per-Node-ID token bucket for Join, Leave and Update (§10.7.2, UN-5; the RFC names no
    /// numbers): tokens come back at this rate per second ...
    /// </summary>
    public double TopologyRequestsPerSecond { get; init; } = 20;

    /// <summary>... up to this burst.</summary>
    public double TopologyRequestBurst { get; init; } = 40;

    /// <summary>Observations of the admission steps kept in the transport's log (older ones fall out; counts stay).</summary>
    public int ObservationCapacity { get; init; } = 1024;

    /// <summary>Links kept at most; further inbound links are closed.</summary>
    public int MaxLinks { get; init; } = 512;

    /// <summary>Attaches in progress at most (to candidates from Updates, §10.7.3).</summary>
    public int MaxPendingAttaches { get; init; } = 64;

    /// <summary>The overlay-reliability-timer (§6.2.1): time between retransmissions of a request.</summary>
    public TimeSpan ReliabilityTimer => TimeSpan.FromMilliseconds(Configuration.OverlayReliabilityTimer);

    public ushort ConfigurationSequence => (ushort)(Configuration.Sequence ?? 0);
}
