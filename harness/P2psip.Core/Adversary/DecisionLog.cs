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

    private readonly bool _keep = true;

    public DecisionLog(TextWriter? writer = null) => _writer = writer;

    /// <summary>A log that keeps nothing (a large simulated population: memory stays bounded).</summary>
    public static DecisionLog Discarding() => new DecisionLog(null, keep: false);

    /// <summary>A log that writes each record to <paramref name="writer"/> (if any) and keeps none in memory (a proxy that runs for days).</summary>
    public static DecisionLog Streaming(TextWriter? writer) => new DecisionLog(writer, keep: false);

    private DecisionLog(TextWriter? writer, bool keep)
    {
        _writer = writer;
        _keep = keep;
    }

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

    /// <summary>Decisions made so far, kept or not.</summary>
    public long Count => Interlocked.Read(ref _count);
    private long _count;

    internal void Add(DecisionRecord record)
    {
        Interlocked.Increment(ref _count);
        if (!_keep && _writer is null) return;
        lock (_lock)
        {
            if (_keep) _records.Add(record);
            if (_writer is null) return;
            _writer.WriteLine(record.ToJsonLine());
            _writer.Flush();
        }
    }

    /// <summary>Every record as JSON lines (what the writer received, without the first line).</summary>
    public IEnumerable<string> JsonLines() => Records.Select(r => r.ToJsonLine());
}
