namespace P2psip.Peer.Transport;

/// <summary>
/// The peer's record of its admission steps' refusals: a count per step, which never forgets, and
/// the last <see cref="Capacity"/> observations in order (older ones fall out). Bounded whatever
/// an attacker sends. Written under the peer's lock; reads take a snapshot. The ring grows to its
/// capacity as observations come (most simulated peers record few; a full ring for each of
/// 100,000 peers would be 8 KB apiece).
/// </summary>
public sealed class ObservationLog
{
    private readonly int _capacity;
    private Observation[] _ring = [];
    private readonly Dictionary<string, long> _counts = new(StringComparer.Ordinal);
    private readonly object _lock = new();
    private long _total;

    public ObservationLog(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
    }

    public int Capacity => _capacity;

    /// <summary>Observations ever recorded (also those no longer kept).</summary>
    public long Total { get { lock (_lock) return _total; } }

    public event Action<Observation>? Observed;

    public void Record(Observation observation)
    {
        lock (_lock)
        {
            // Until the ring is full, _total < capacity and slot _total is the next free one.
            if (_total == _ring.Length && _ring.Length < _capacity) Array.Resize(ref _ring, (int)Math.Min(_capacity, Math.Max(4, _ring.Length * 2L)));
            _ring[_total % _ring.Length] = observation;
            _total++;
            _counts[observation.Step.Name] = _counts.GetValueOrDefault(observation.Step.Name) + 1;
        }
        Observed?.Invoke(observation);
    }

    /// <summary>How often <paramref name="step"/> refused a message.</summary>
    public long Count(AdmissionStep step)
    {
        lock (_lock) return _counts.GetValueOrDefault(step.Name);
    }

    /// <summary>Counts by step name (the keys of <see cref="MessageTransport.Drops"/>).</summary>
    public IReadOnlyDictionary<string, long> Counts
    {
        get { lock (_lock) return new Dictionary<string, long>(_counts, StringComparer.Ordinal); }
    }

    /// <summary>The observations still kept, oldest first.</summary>
    public IReadOnlyList<Observation> Recent
    {
        get
        {
            lock (_lock)
            {
                int kept = (int)Math.Min(_total, _capacity);
                var list = new List<Observation>(kept);
                for (long i = _total - kept; i < _total; i++) list.Add(_ring[i % _ring.Length]);
                return list;
            }
        }
    }

    /// <summary>The kept observations of one step.</summary>
    public IReadOnlyList<Observation> Of(AdmissionStep step) => Recent.Where(o => o.Step == step).ToList();

    /// <summary>The kept observations of the steps behind one defence.</summary>
    public IReadOnlyList<Observation> OfDefence(string defence) => Recent.Where(o => o.Step.Defence == defence).ToList();
}
