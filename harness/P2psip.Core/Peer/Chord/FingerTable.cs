namespace P2psip.Peer.Chord;

/// <summary>
/// The Finger Table (§10.1, §10.7.4.2): entry i (1-based) is the first peer at or after
/// self + 2^(128-i); it is valid when it lies in [self + 2^(128-i), self + 2^(128-(i-1)) - 1].
/// Until a valid peer is known an entry keeps the closest peer found after its start, which
/// still routes correctly (only less directly).
/// </summary>
public sealed class FingerTable
{
    private readonly RingId?[] _entries;

    public FingerTable(RingId self, int size)
    {
        Self = self;
        _entries = new RingId?[size];
    }

    public RingId Self { get; }
    public int Size => _entries.Length;

    /// <summary>The start of entry i: self + 2^(128-i).</summary>
    public RingId Start(int i) => Self.Add(RingId.FingerOffset(i));

    public RingId? this[int i] => _entries[i - 1];

    public bool IsValid(int i) =>
        _entries[i - 1] is { } e && Start(i).DistanceTo(e) < RingId.FingerOffset(i);

    /// <summary>The distinct fingers, in numerically ascending order (as a full Update lists them, §10.7).</summary>
    public IReadOnlyList<RingId> Distinct => _entries.Where(e => e.HasValue).Select(e => e!.Value).Distinct().OrderBy(e => e).ToList();

    /// <summary>Puts <paramref name="id"/> in every entry it is closer to than the entry's current peer; returns whether any changed.</summary>
    public bool Offer(RingId id)
    {
        if (id == Self) return false;
        bool changed = false;
        for (int i = 1; i <= _entries.Length; i++)
        {
            var start = Start(i);
            if (_entries[i - 1] is not { } current || start.DistanceTo(id) < start.DistanceTo(current))
            {
                _entries[i - 1] = id;
                changed = true;
            }
        }
        return changed;
    }

    /// <summary>Removes every reference to a failed peer (§10.7.2); the emptied entries are refilled by <see cref="Offer"/>.</summary>
    public bool Remove(RingId id)
    {
        bool changed = false;
        for (int i = 0; i < _entries.Length; i++)
            if (_entries[i] == id) { _entries[i] = null; changed = true; }
        return changed;
    }

    public bool Contains(RingId id) => Array.IndexOf(_entries, id) >= 0;
}
