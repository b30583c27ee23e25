namespace P2psip.Conformance.Running;

/// <summary>What the runner tells whoever shows progress (the console's live display, plain lines, tests).</summary>
public interface IRunObserver
{
    void RunStarted(int total, string sut, int seed);
    void CaseStarted(ConformanceCase @case, int index, int total);
    void CaseFinished(ConformanceCase @case, CaseResult result, int index, int total);

    /// <summary>Something about the run itself (a SUT restart, the canary), one line.</summary>
    void Note(string line);
}

/// <summary>An observer that shows nothing.</summary>
public sealed class SilentRunObserver : IRunObserver
{
    public static readonly SilentRunObserver Instance = new();
    public void RunStarted(int total, string sut, int seed) { }
    public void CaseStarted(ConformanceCase @case, int index, int total) { }
    public void CaseFinished(ConformanceCase @case, CaseResult result, int index, int total) { }
    public void Note(string line) { }
}
