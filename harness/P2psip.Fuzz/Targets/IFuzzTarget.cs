namespace P2psip.Fuzz.Targets;

/// <summary>
/// One entry point that AFL++ drives. <see cref="Run"/> must return normally for every input: any
/// exception that escapes it is a finding (a crash), as is a hang or unbounded memory. Every input,
/// even an empty one, must reach code in P2psip.Core (the instrumented assembly): afl-fuzz aborts
/// when its first run leaves the coverage map empty.
/// </summary>
public interface IFuzzTarget
{
    /// <summary>The name used by <c>run-fuzz.ps1 -Target</c> and the regression folders.</summary>
    string Name { get; }

    /// <summary>A test-only target is never part of a real campaign and has no regression inputs.</summary>
    bool IsTestOnly => false;

    /// <summary>Tokens of this target for AFL++'s dictionary, beside corpus/reload.dict.</summary>
    IEnumerable<byte[]> DictionaryTokens => [];

    void Run(ReadOnlyMemory<byte> input);
}
