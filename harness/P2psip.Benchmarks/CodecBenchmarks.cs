using BenchmarkDotNet.Attributes;
using P2psip.Corpus;
using P2psip.Messages;

namespace P2psip.Benchmarks;

/// <summary>
/// Decode and encode of one message per seed kind (the committed corpus), with allocations, and
/// the forwarding-header-only read a forwarding peer does (which must allocate nothing).
/// </summary>
[MemoryDiagnoser]
public class CodecBenchmarks
{
    private byte[] _bytes = [];
    private ReloadMessage _message = null!;

    /// <summary>Every seed kind, or only those named in P2PSIP_BENCH_KINDS (comma-separated) for a quick run.</summary>
    public static IEnumerable<string> Kinds()
    {
        var only = Environment.GetEnvironmentVariable("P2PSIP_BENCH_KINDS")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return SeedCorpus.All().Select(s => s.Name).Where(n => only is null || only.Contains(n));
    }

    [ParamsSource(nameof(Kinds))]
    public string Kind { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _bytes = SeedCorpus.All().Single(s => s.Name == Kind).Bytes;
        _message = ReloadCodec.Decode(_bytes).GetValueOrThrow();
    }

    [Benchmark]
    public ReloadMessage? Decode() => ReloadCodec.Decode(_bytes).Value;

    [Benchmark]
    public byte[] Encode() => ReloadCodec.Encode(_message);

    [Benchmark]
    public ulong ForwardingHeaderOnly()
    {
        ForwardingHeaderView.TryRead(_bytes, null, out var view, out _);
        return view.TransactionId;
    }
}
