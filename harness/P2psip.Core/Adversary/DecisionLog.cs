namespace P2psip.Adversary;

/// <summary>
/// The decision log of one engine: every decision in order, kept in memory and, when a writer is
/// given, written as JSON lines as it is made (the first line names the scenario and the seed).
/// </summary>
public sealed class DecisionLog
{
    private readonly List<DecisionRecord> _records = [];
    private readonly TextWriter? _writer;
    private readonly object _lock = new();

    public DecisionLog(TextWriter? writer = null) => _writer = writer;

    public IReadOnlyList<DecisionRecord> Records { get { lock (_lock) return _records.ToArray(); } }

    internal void Start(string scenario, ulong seed)
    {
        if (_writer is null) return;
        lock (_lock)
        {
            _writer.WriteLine($"{{\"scenario\":{System.Text.Json.JsonSerializer.Serialize(scenario)},\"seed\":{seed}}}");
            _writer.Flush();
        }
    }

    internal void Add(DecisionRecord record)
    {
        lock (_lock)
        {
            _records.Add(record);
            if (_writer is null) return;
            _writer.WriteLine(record.ToJsonLine());
            _writer.Flush();
        }
    }

    /// <summary>Every record as JSON lines (what the writer received, without the first line).</summary>
    public IEnumerable<string> JsonLines() => Records.Select(r => r.ToJsonLine());
}
