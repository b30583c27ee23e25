using P2psip.Conformance;
using Spectre.Console;

namespace P2psip.Cli.Certify;

/// <summary>
/// Progress in Spectre.Console's live display: a bar per run (a self-test has one per variant),
/// described as "case n of N, current ID, counts so far". Nothing else may write to the console
/// while the display runs, so notes are shown in the description and kept for after it ends.
/// </summary>
internal sealed class LiveProgress(ProgressContext context) : ICertifyProgress
{
    private readonly Lock _lock = new();
    private readonly VerdictTally _tally = new();
    private readonly List<string> _notes = [];
    private ProgressTask? _task;
    private string _label = "certify";
    private string _current = "";
    private int _total;
    private int _done;

    /// <summary>The notes received, to print once the display has ended.</summary>
    public IReadOnlyList<string> Notes
    {
        get { lock (_lock) return _notes.ToArray(); }
    }

    public void Started(int total)
    {
        lock (_lock)
        {
            _task?.StopTask();
            (_total, _done, _current) = (total, 0, "");
            _tally.Clear();
            _task = context.AddTask(Describe(), autoStart: true, maxValue: Math.Max(1, total));
        }
    }

    public void CaseStarted(ConformanceCase @case, int index)
    {
        lock (_lock)
        {
            _current = @case.Id;
            Update(index);
        }
    }

    public void CaseFinished(ConformanceCase @case, CaseResult result)
    {
        lock (_lock)
        {
            _done++;
            _tally.Add(result.Verdict);
            _task?.Increment(1);
            Update(_done - 1);
        }
    }

    public void Note(string note)
    {
        lock (_lock)
        {
            _notes.Add(note);
            _label = note;
            if (_task is not null) _task.Description = Describe();
        }
    }

    private void Update(int index)
    {
        if (_task is null) return;
        _task.Description = Describe(index);
    }

    private string Describe(int index = -1)
    {
        var position = index < 0 ? $"{_total} cases" : $"case {Math.Min(index + 1, _total)} of {_total} {_current}";
        return Markup.Escape($"{_label}: {position} ({_tally})");
    }
}
