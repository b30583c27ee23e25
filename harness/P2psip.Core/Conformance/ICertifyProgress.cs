namespace P2psip.Conformance;

/// <summary>
/// What the runner tells whoever shows a run's progress (the console's live display, plain lines
/// in CI, nothing in tests). Calls come in order from the runner's one thread of control; an
/// implementation must not throw and must not block for long.
/// </summary>
public interface ICertifyProgress
{
    /// <summary>The run starts with <paramref name="total"/> cases.</summary>
    void Started(int total);

    /// <summary>Case <paramref name="index"/> (0-based) of the total starts.</summary>
    void CaseStarted(ConformanceCase @case, int index);

    /// <summary>The case ended with <paramref name="result"/> (after its liveness probe and any rerun).</summary>
    void CaseFinished(ConformanceCase @case, CaseResult result);

    /// <summary>Something about the run itself: a SUT restart, a self-test variant starting, a warning.</summary>
    void Note(string note);
}

/// <summary>Shows nothing.</summary>
public sealed class SilentProgress : ICertifyProgress
{
    public static SilentProgress Instance { get; } = new();

    public void Started(int total) { }
    public void CaseStarted(ConformanceCase @case, int index) { }
    public void CaseFinished(ConformanceCase @case, CaseResult result) { }
    public void Note(string note) { }
}
