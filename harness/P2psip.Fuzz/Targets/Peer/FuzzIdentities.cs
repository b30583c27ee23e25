using P2psip.Security;
using P2psip.Wire;

namespace P2psip.Fuzz.Targets.Peer;

/// <summary>
/// The fixed identity set of the peer targets: one enrolment authority, the ring's peers and the
/// harness peer that delivers the inputs. Node-IDs come from a fixed seed, so they (and every
/// routing decision) are the same in every process; the ECDSA keys are made once per process at
/// start-up (in persistent mode that cost is paid once), so signature bytes differ between
/// processes but no routing or storage decision depends on them.
/// </summary>
public sealed class FuzzIdentities
{
    public const string Overlay = "fuzz.overlay";
    public const int RingSize = 4;
    private static readonly Lazy<FuzzIdentities> Instance = new(() => new FuzzIdentities());

    public static FuzzIdentities Shared => Instance.Value;

    private FuzzIdentities()
    {
        var random = new Random(6940);
        var ca = EnrollmentAuthority.Create(Overlay, maxNodesPerUser: int.MaxValue);
        Identity Make(string user)
        {
            var nodeId = new byte[16];
            random.NextBytes(nodeId);
            var keys = KeyPairs.Generate(KeyAlgorithm.EcdsaP256);
            return new Identity(keys, ca.Issue(keys.Public, $"{user}@{Overlay}", [nodeId], new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc), new DateTime(2036, 1, 1, 0, 0, 0, DateTimeKind.Utc)));
        }
        Peers = Enumerable.Range(0, RingSize).Select(i => Make($"peer{i}")).ToArray();
        Harness = Make("harness");
    }

    /// <summary>The ring's peers, in the order they start (the first one starts the overlay).</summary>
    public IReadOnlyList<Identity> Peers { get; }

    /// <summary>The harness peer: it sends the inputs and, in re-sign mode, signs them.</summary>
    public Identity Harness { get; }

    public Opaque HarnessNodeId => Harness.NodeId;
}
