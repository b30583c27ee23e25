namespace P2psip.Conformance;

/// <summary>
/// What the runner tells whoever shows a run's progress (the console's live display, plain lines
/// in CI, nothing in tests). A self-test calls <see cref="RunStarted"/> once per variant. An
/// implementation must not throw and must not block for long; calls may come from any thread.
/// </summary>
public interface ICertifyProgress
{
    /// <summary>A run of <paramref name="total"/> cases starts against <paramref name="sut"/> with <paramref name="seed"/>.</summary>
    void RunStarted(int total, string sut, int seed);

    /// <summary>Case <paramref name="index"/> (0-based) of <paramref name="total"/> starts.</summary>
    void CaseStarted(ConformanceCase @case, int index, int total);

    /// <summary>Case <paramref name="index"/> ended with <paramref name="result"/> (after its liveness probe and any rerun).</summary>
    void CaseFinished(ConformanceCase @case, CaseResult result, int index, int total);

    /// <summary>Something about the run itself, one line: a SUT restart, the canary, a self-test variant starting.</summary>
    void Note(string line);
}

/// <summary>Shows nothing.</summary>
public sealed class SilentProgress : ICertifyProgress
{
    public static SilentProgress Instance { get; } = new();

    public void RunStarted(int total, string sut, int seed) { }
    public void CaseStarted(ConformanceCase @case, int index, int total) { }
    public void CaseFinished(ConformanceCase @case, CaseResult result, int index, int total) { }
    public void Note(string line) { }
}
