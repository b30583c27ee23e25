using System.Globalization;
using P2psip.Conformance;
using P2psip.Conformance.Running;

namespace P2psip.Cli.Certify;

/// <summary>
/// Progress as plain lines, for output that is not a terminal (CI logs, tests): one line when a
/// run starts (with its seed), one per finished case (n of N, ID, verdict, time, and the reason
/// unless it passed; with <see cref="ShowEvidence"/> its messages and notes below), a closing line
/// with the counts, one line per note.
/// </summary>
public sealed class PlainProgress(TextWriter output) : IRunObserver
{
    private readonly Lock _lock = new();
    private readonly VerdictTally _tally = new();
    private int _done;

    public void RunStarted(int total, string sut, int seed)
    {
        lock (_lock)
        {
            _done = 0;
            _tally.Clear();
            output.WriteLine($"certify: {total} cases against {sut}, seed {seed}");
            output.Flush();
        }
    }

    /// <summary>Print each case's messages and notes under its line (--evidence).</summary>
    public bool ShowEvidence { get; init; }

    public void CaseStarted(ConformanceCase @case, int index, int total) { }

    public void CaseFinished(ConformanceCase @case, CaseResult result, int index, int total)
    {
        lock (_lock)
        {
            _done++;
            _tally.Add(result.Verdict);
            var seconds = result.Duration.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture);
            var why = result.Verdict == Verdict.Pass ? "" : $": {result.Reason}";
            output.WriteLine($"[{index + 1}/{total}] {@case.Id} {result.Verdict.Word()} ({seconds} s) {@case.Title}{why}");
            if (ShowEvidence)
            {
                foreach (var m in result.Messages)
                    output.WriteLine($"    {m.Time.UtcDateTime:HH:mm:ss.fff} {m.Party} {(m.Direction == EvidenceDirection.Sent ? "->" : "<-")} {m.Summary}");
                foreach (var note in result.Notes) output.WriteLine($"    note: {note}");
            }
            if (_done == total) output.WriteLine($"certify: done: {_tally}");
            output.Flush();
        }
    }

    public void Note(string line)
    {
        lock (_lock)
        {
            output.WriteLine($"note: {line}");
            output.Flush();
        }
    }
}
