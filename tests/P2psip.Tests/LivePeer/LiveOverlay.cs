using P2psip.Overlay;
using P2psip.Peer;
using P2psip.Peer.Live;
using P2psip.Security;
using P2psip.Tests.PeerStorage;

namespace P2psip.Tests.LivePeer;

/// <summary>
/// An overlay made in-process for the live tests: its CA, a configuration carrying the root
/// certificate and the private Kinds of <see cref="StorageKit"/>, and ECDSA identities, one user
/// each (so each may register the AOR "sip:" + its user name), generated once per test class.
/// </summary>
public sealed class LiveOverlay
{
    public const string Name = "live.test";

    public LiveOverlay() : this(10) { }

    public LiveOverlay(int identities)
    {
        Ca = EnrollmentAuthority.Create(Name, maxNodesPerUser: 10);
        Configuration = new OverlayConfiguration
        {
            InstanceName = Name,
            Sequence = 1,
            RootCertificates = [Ca.Root.GetEncoded()],
            RequiredKinds = StorageKit.Configuration.RequiredKinds,
        };
        Identities = Enumerable.Range(0, identities).Select(i => Issue($"user{i}@{Name}")).ToList();
    }

    public EnrollmentAuthority Ca { get; }
    public OverlayConfiguration Configuration { get; }
    public IReadOnlyList<Identity> Identities { get; }

    public Identity Issue(string user)
    {
        var keys = KeyPairs.Generate(KeyAlgorithm.EcdsaP256);
        var nodeId = new byte[16];
        Random.Shared.NextBytes(nodeId);
        return new Identity(keys, Ca.Issue(keys.Public, user, [nodeId], DateTime.UtcNow.AddDays(-1), DateTime.UtcNow.AddDays(30)));
    }

    /// <summary>Starts <paramref name="count"/> peers over TLS on 127.0.0.1, each joining through the first, one after another.</summary>
    public async Task<List<P2psip.Peer.Live.LivePeer>> RingAsync(int count, Action<string>? log = null, DefenceSwitches? defences = null)
    {
        var peers = new List<P2psip.Peer.Live.LivePeer>();
        try
        {
            for (int i = 0; i < count; i++)
            {
                var peer = P2psip.Peer.Live.LivePeer.Create(new LivePeerOptions
                {
                    Configuration = Configuration,
                    Identity = Identities[i],
                    Bootstrap = i == 0 ? null : peers[0].Address,
                    Defences = defences ?? DefenceSwitches.AllOn,
                    ReliabilityTimerMillis = 500,
                    Log = log,
                });
                peers.Add(peer);
                await peer.StartAsync(TimeSpan.FromSeconds(30));
            }
        }
        catch
        {
            foreach (var p in peers) p.Crash();
            throw;
        }
        return peers;
    }

    /// <summary>Waits until every peer's first successor and first predecessor are its neighbours in ring order.</summary>
    public static Task<bool> ConvergedAsync(IReadOnlyList<P2psip.Peer.Live.LivePeer> peers, TimeSpan timeout) =>
        Eventually.Holds(() => Converged(peers), timeout);

    public static bool Converged(IReadOnlyList<P2psip.Peer.Live.LivePeer> peers)
    {
        var ring = peers.Select(p => p.NodeId).OrderBy(id => P2psip.Peer.Chord.RingId.From(id)).ToList();
        for (int i = 0; i < ring.Count; i++)
        {
            var snapshot = peers.Single(p => p.NodeId == ring[i]).Peer.Snapshot();
            if (snapshot.Successors.Count == 0 || snapshot.Successors[0] != ring[(i + 1) % ring.Count]) return false;
            if (snapshot.Predecessors.Count == 0 || snapshot.Predecessors[0] != ring[(i + ring.Count - 1) % ring.Count]) return false;
        }
        return true;
    }
}
