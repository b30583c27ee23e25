using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using P2psip.Messages.Storage;
using P2psip.Overlay;
using P2psip.Peer.Chord;
using P2psip.Peer.Live;
using P2psip.Peer.Storage;
using P2psip.Peer.Transport;
using P2psip.Security;
using P2psip.Wire;

namespace P2psip.Benchmarks;

/// <summary>
/// Store and fetch throughput of an 8-peer ring of live reference peers over TLS-TCP-FH-NO-ICE on
/// 127.0.0.1, every defence on, every message signed and verified. Each peer runs one request at a
/// time (8 outstanding in all) to distinct resources: <see cref="PerPeer"/> Stores of the peer's own
/// CERTIFICATE_BY_USER value (USER-MATCH, §7.3; a newer storage_time each time, §7.4.1.1), or
/// Fetches of every peer's value. The figure per operation is the batch's wall time over its 200 requests,
/// so its inverse is requests per second.
/// Its one job runs in process (no generated project) and few iterations, each of 200 real requests:
/// dotnet run -c Release --project harness/P2psip.Benchmarks -- --filter '*LiveRingBenchmarks*'
/// (without --inProcess, which would add a second, default-length job).
/// </summary>
[Config(typeof(Settings))]
public class LiveRingBenchmarks
{
    private sealed class Settings : ManualConfig
    {
        public Settings() => AddJob(Job.Default
            .WithStrategy(RunStrategy.Monitoring).WithLaunchCount(1).WithWarmupCount(1).WithIterationCount(5)
            .WithToolchain(InProcessEmitToolchain.Instance));
    }

    public const int Peers = 8;
    public const int PerPeer = 25;
    private const string Overlay = "bench-ring.overlay";

    private List<LivePeer> _peers = [];
    private ulong _storageTime;

    [GlobalSetup]
    public void Setup()
    {
        var ca = EnrollmentAuthority.Create(Overlay, maxNodesPerUser: 10);
        var configuration = new OverlayConfiguration
        {
            InstanceName = Overlay,
            Sequence = 1,
            RootCertificates = [ca.Root.GetEncoded()],
            RequiredKinds = OverlayConfiguration.DefaultKinds,
        };
        for (int i = 0; i < Peers; i++)
        {
            var keys = KeyPairs.Generate(KeyAlgorithm.EcdsaP256);
            var nodeId = new byte[16];
            Random.Shared.NextBytes(nodeId);
            var identity = new Identity(keys, ca.Issue(keys.Public, $"user{i}@{Overlay}", [nodeId], DateTime.UtcNow.AddDays(-1), DateTime.UtcNow.AddDays(30)));
            var peer = LivePeer.Create(new LivePeerOptions
            {
                Configuration = configuration,
                Identity = identity,
                Bootstrap = i == 0 ? null : _peers[0].Address,
                ReliabilityTimerMillis = 500,
            });
            _peers.Add(peer);
            peer.StartAsync(TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();
        }
        // Measure a settled ring: every first successor is the next Node-ID in ring order.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!Converged())
        {
            if (DateTime.UtcNow > deadline) throw new InvalidOperationException("the benchmark ring did not converge in 60 s");
            Thread.Sleep(50);
        }
        _storageTime = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        Stores(); // one value per peer before the first fetch
    }

    private bool Converged()
    {
        var ring = _peers.Select(p => p.NodeId).OrderBy(RingId.From).ToList();
        return _peers.All(p =>
        {
            var successors = p.Peer.Snapshot().Successors;
            return successors.Count > 0 && successors[0] == ring[(ring.IndexOf(p.NodeId) + 1) % ring.Count];
        });
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var peer in _peers) peer.Crash();
    }

    private static Opaque ResourceOf(LivePeer peer) => AccessControl.UserResourceId(KindRegistry.CertificateByUser, peer.Options.Identity.UserName!);

    [Benchmark(OperationsPerInvoke = Peers * PerPeer)]
    public int Stores()
    {
        ulong baseTime = _storageTime;
        _storageTime += PerPeer;
        return Run(async (peer, _) =>
        {
            var identity = peer.Options.Identity;
            var resource = ResourceOf(peer);
            int ok = 0;
            for (int i = 0; i < PerPeer; i++)
            {
                // Array Kind, max-count 2: alternate the two indices.
                var value = MessageSigner.SignStoredData(identity, resource, KindRegistry.CertificateByUser,
                    new StoredData(baseTime + (ulong)i + 1, 3600, new ArrayEntry((uint)(i % 2), DataValue.Of(Opaque.Utf8($"value {i}"))), null));
                var outcome = await peer.Peer.RequestResourceAsync(resource, new StoreReq(resource, 0, [new StoreKindData(KindRegistry.CertificateByUser, 0, [value])]));
                if (outcome.Body is StoreAns) ok++;
            }
            return ok;
        });
    }

    [Benchmark(OperationsPerInvoke = Peers * PerPeer)]
    public int Fetches() => Run(async (peer, p) =>
    {
        int ok = 0;
        for (int i = 0; i < PerPeer; i++)
        {
            var resource = ResourceOf(_peers[(p + i) % _peers.Count]);
            var outcome = await peer.Peer.RequestResourceAsync(resource,
                new FetchReq(resource, [new StoredDataSpecifier(KindRegistry.CertificateByUser, 0, new ArraySpecifier([ArrayRange.All]))]));
            if (outcome.Body is FetchAns) ok++;
        }
        return ok;
    });

    /// <summary>Runs one batch on every peer at once; fails the benchmark if any request failed (a figure for failures would mislead).</summary>
    private int Run(Func<LivePeer, int, Task<int>> batch)
    {
        var done = Task.WhenAll(_peers.Select((peer, p) => batch(peer, p))).WaitAsync(TimeSpan.FromSeconds(120)).GetAwaiter().GetResult();
        int ok = done.Sum();
        if (ok != Peers * PerPeer) throw new InvalidOperationException($"only {ok} of {Peers * PerPeer} requests succeeded");
        return ok;
    }
}
