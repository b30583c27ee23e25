using P2psip.Conformance;
using P2psip.Conformance.Running;
using Spectre.Console;

namespace P2psip.Cli.Certify;

/// <summary>
/// Progress in Spectre.Console's live display: a bar per run (a self-test has one per variant),
/// described as "case n of N, current ID, counts so far". Nothing else may write to the console
/// while the display runs, so the last note is shown in the description and all are kept for after.
/// </summary>
internal sealed class LiveProgress(ProgressContext context) : IRunObserver
{
    private readonly Lock _lock = new();
    private readonly VerdictTally _tally = new();
    private readonly List<string> _notes = [];
    private ProgressTask? _task;
    private string _label = "certify";
    private string _position = "";

    /// <summary>The notes received, to print once the display has ended.</summary>
    public IReadOnlyList<string> Notes
    {
        get { lock (_lock) return _notes.ToArray(); }
    }

    public void RunStarted(int total, string sut, int seed)
    {
        lock (_lock)
        {
            _task?.StopTask();
            _tally.Clear();
            _position = $"{total} cases, seed {seed}";
            _task = context.AddTask(Describe(), autoStart: true, maxValue: Math.Max(1, total));
        }
    }

    public void CaseStarted(ConformanceCase @case, int index, int total)
    {
        lock (_lock)
        {
            _position = $"case {index + 1} of {total} {@case.Id}";
            if (_task is not null) _task.Description = Describe();
        }
    }

    public void CaseFinished(ConformanceCase @case, CaseResult result, int index, int total)
    {
        lock (_lock)
        {
            _tally.Add(result.Verdict);
            if (_task is null) return;
            _task.Increment(1);
            _task.Description = Describe();
        }
    }

    public void Note(string line)
    {
        lock (_lock)
        {
            _notes.Add(line);
            _label = line;
            if (_task is not null) _task.Description = Describe();
        }
    }

    private string Describe() => Markup.Escape($"{_label}: {_position} ({_tally})");
}
