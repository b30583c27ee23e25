using P2psip.Messages;
using System.Text;

namespace P2psip.Fuzz.Targets;

/// <summary>
/// A test-only target that throws on one marker input, so that the path from a crash to its triage,
/// minimisation, reproduction and regression copy can be tested end to end. Its seed is the marker
/// with the last byte off by one bit, and its dictionary holds the markers, which AFL++'s havoc stage
/// inserts into an input within seconds.
/// </summary>
public sealed class SelfTestCrashTarget : IFuzzTarget
{
    public static ReadOnlySpan<byte> Marker => "P2PSIP-SELFTEST-CRASH"u8;

    /// <summary>A second marker that overflows the stack, which kills the process: triage must cope with that too.</summary>
    public static ReadOnlySpan<byte> OverflowMarker => "P2PSIP-SELFTEST-OVERFLOW"u8;

    public string Name => "selftest-crash";

    public bool IsTestOnly => true;

    public IEnumerable<byte[]> DictionaryTokens => [Marker.ToArray(), OverflowMarker.ToArray()];

    public void Run(ReadOnlyMemory<byte> input)
    {
        // afl-fuzz refuses a target that never reaches instrumented code: only P2psip.Core is
        // instrumented, so the input goes through the decoder first (its result does not matter).
        _ = ReloadCodec.Decode(input);
        if (input.Span.IndexOf(Marker) >= 0) Explode(input.Length);
        if (input.Span.IndexOf(OverflowMarker) >= 0) _ = Recurse(input.Length);
    }

    private static int Recurse(int depth) => Recurse(depth + 1) + 1;

    /// <summary>The seed: the marker with its last byte's low bit flipped.</summary>
    public static byte[] NearMarker()
    {
        var seed = Marker.ToArray();
        seed[^1] ^= 1;
        return seed;
    }

    private static void Explode(int length) =>
        throw new InvalidOperationException($"self-test marker \"{Encoding.ASCII.GetString(Marker)}\" found in a {length}-byte input");
}
