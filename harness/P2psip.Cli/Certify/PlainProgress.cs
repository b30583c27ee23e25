using System.Globalization;
using P2psip.Conformance;

namespace P2psip.Cli.Certify;

/// <summary>
/// Progress as plain lines, for output that is not a terminal (CI logs, tests): one line when a
/// run starts, one per finished case (n of N, ID, verdict, time, and the reason unless it passed),
/// one per note.
/// </summary>
public sealed class PlainProgress(TextWriter output) : ICertifyProgress
{
    private readonly Lock _lock = new();
    private readonly VerdictTally _tally = new();
    private int _total;
    private int _done;

    public void Started(int total)
    {
        lock (_lock)
        {
            (_total, _done) = (total, 0);
            _tally.Clear();
            output.WriteLine($"certify: {total} cases");
            output.Flush();
        }
    }

    public void CaseStarted(ConformanceCase @case, int index) { }

    public void CaseFinished(ConformanceCase @case, CaseResult result)
    {
        lock (_lock)
        {
            _done++;
            _tally.Add(result.Verdict);
            var seconds = result.Duration.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture);
            var why = result.Verdict == Verdict.Pass ? "" : $": {result.Reason}";
            output.WriteLine($"[{_done}/{_total}] {@case.Id} {result.Verdict.Word()} ({seconds} s) {@case.Title}{why}");
            if (_done == _total) output.WriteLine($"certify: done: {_tally}");
            output.Flush();
        }
    }

    public void Note(string note)
    {
        lock (_lock)
        {
            output.WriteLine($"note: {note}");
            output.Flush();
        }
    }
}
