using System.Security.Cryptography;
using System.Text;
using P2psip.Peer.Simulation;
using Snapshooter;
using Snapshooter.Xunit;

namespace P2psip.Tests.Peer;

/// <summary>
/// The simulator's results at fixed seeds, recorded in golden files (__snapshots__) before the
/// simulator was made faster (issue 10, item 4): a speed-up must leave every join, every table,
/// every lookup's hops and every message count of the same seed exactly as they were.
/// </summary>
public class SimulatorGoldenTests
{
    /// <summary>What must not change: the counts, each lookup's hops, and a digest of every peer's tables.</summary>
    internal static object Results(int peers, int seed, int lookups, bool signatures)
    {
        var ring = new SimulatedRing(seed, signatures);
        ring.Build(peers);
        ring.Stabilize();
        long messagesToBuild = ring.Network.MessagesDelivered;
        var (succ, pred) = ring.CountCorrectNeighbours();
        var results = ring.Lookups(lookups);
        return new
        {
            Peers = peers,
            Seed = seed,
            Signatures = signatures,
            Joined = ring.Live.Count(),
            CorrectSuccessors = succ,
            CorrectPredecessors = pred,
            MessagesToBuild = messagesToBuild,
            Lookups = lookups,
            Succeeded = results.Succeeded,
            LookupMessages = results.Messages,
            MessagesPerLookup = Math.Round((double)results.Messages / lookups, 3),
            // The hops of each successful lookup, in the order the lookups were made.
            Hops = string.Join(" ", results.Hops),
            Tables = TablesDigest(ring),
            VirtualTicks = ring.Scheduler.Now.UtcTicks,
        };
    }

    /// <summary>
    /// SHA-256 of every peer's Node-ID, state, neighbours (in table order), and its fingers and links
    /// as sets: the content of the tables, not the order a data structure happens to list them in.
    /// </summary>
    internal static string TablesDigest(SimulatedRing ring)
    {
        var text = new StringBuilder();
        foreach (var p in ring.Peers)
        {
            var s = p.Snapshot();
            text.Append(s.NodeId.ToHex()).Append(' ').Append(s.State)
                .Append(" p ").AppendJoin(',', s.Predecessors.Select(x => x.ToHex()))
                .Append(" s ").AppendJoin(',', s.Successors.Select(x => x.ToHex()))
                .Append(" f ").AppendJoin(',', s.Fingers.Select(x => x.ToHex()).Order(StringComparer.Ordinal))
                .Append(" c ").AppendJoin(',', s.Connections.Select(x => x.ToHex()).Order(StringComparer.Ordinal))
                .Append('\n');
        }
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    [Fact]
    public void An_unsigned_ring_of_200_peers_matches_the_golden_file() =>
        Snapshot.Match(Results(200, seed: 42, lookups: 500, signatures: false), SnapshotNameExtension.Create("unsigned-200"));

    [Fact]
    public void A_signed_ring_of_60_peers_matches_the_golden_file() =>
        Snapshot.Match(Results(60, seed: 9, lookups: 200, signatures: true), SnapshotNameExtension.Create("signed-60"));

    [Trait("Category", TestCategory.Long)]
    [Fact]
    public void An_unsigned_ring_of_1000_peers_matches_the_golden_file() =>
        Snapshot.Match(Results(1000, seed: 1000, lookups: 1000, signatures: false), SnapshotNameExtension.Create("unsigned-1000"));

    /// <summary>A ring big enough for long finger paths and crowded neighbourhoods; recorded before the second round of speed-ups.</summary>
    [Trait("Category", TestCategory.Long)]
    [Fact]
    public void An_unsigned_ring_of_5000_peers_matches_the_golden_file() =>
        Snapshot.Match(Results(5000, seed: 5000, lookups: 2000, signatures: false), SnapshotNameExtension.Create("unsigned-5000"));

    [Trait("Category", TestCategory.Long)]
    [Fact]
    public void A_signed_ring_of_200_peers_matches_the_golden_file() =>
        Snapshot.Match(Results(200, seed: 200, lookups: 300, signatures: true), SnapshotNameExtension.Create("signed-200"));
}
