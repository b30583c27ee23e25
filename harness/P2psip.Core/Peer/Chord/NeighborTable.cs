using System.Runtime.InteropServices;

namespace P2psip.Peer.Chord;

/// <summary>
/// The Neighbor Table (§10.1, §10.7): the closest peers before and after this one on the ring,
/// closest first. A peer never enters itself (§10.7.3). In rings smaller than twice the table
/// size one peer can be both a predecessor and a successor.
/// </summary>
public sealed class NeighborTable(RingId self, int size)
{
    private List<RingId> _predecessors = [];
    private List<RingId> _successors = [];

    public RingId Self { get; } = self;
    public int Size { get; } = size;

    /// <summary>Predecessors, the closest (the one just before this peer) first.</summary>
    public IReadOnlyList<RingId> Predecessors => _predecessors;

    /// <summary>Successors, the closest first.</summary>
    public IReadOnlyList<RingId> Successors => _successors;

    public bool IsEmpty => _predecessors.Count == 0 && _successors.Count == 0;

    public bool Contains(RingId id) => _predecessors.Contains(id) || _successors.Contains(id);

    /// <summary>Predecessors then successors, each peer once (in that order).</summary>
    public IEnumerable<RingId> All => AllList();

    private List<RingId> AllList()
    {
        var all = new List<RingId>(_predecessors.Count + _successors.Count);
        AddDistinct(all, _predecessors);
        AddDistinct(all, _successors);
        return all;
    }

    /// <summary>Appends the ids not yet in <paramref name="to"/>, first occurrence first (what LINQ's Distinct keeps); the lists are short.</summary>
    private static void AddDistinct(List<RingId> to, List<RingId> ids)
    {
        foreach (var id in ids)
            if (!to.Contains(id)) to.Add(id);
    }

    /// <summary>The range this peer is responsible for: (first predecessor, self]; the whole ring when alone (§10.1).</summary>
    public ResourceRange Responsible => new(_predecessors.Count > 0 ? _predecessors[0] : Self, Self);

    /// <summary>
    /// The range of the replicas this peer holds: its own and its two predecessors' (§10.4, §10.7.3).
    /// </summary>
    public ResourceRange ReplicaRange => new(_predecessors.Count > 2 ? _predecessors[2] : Self, Self);

    /// <summary>Which of <paramref name="candidates"/> would enter the table if offered (the ones not already in it).</summary>
    public IReadOnlyList<RingId> WouldAdmit(IEnumerable<RingId> candidates)
    {
        // Runs for every Update a peer receives: the pool lives on the stack, and a list is made only for what is admitted.
        var given = AsSpan(candidates);
        Span<RingId> pool = stackalloc RingId[PoolLimit];
        int members = Members(pool);
        int count = members;
        foreach (var c in given)
        {
            if (c == Self || Contains(c) || pool[members..count].Contains(c)) continue;
            if (count == pool.Length) return WouldAdmitSlow(given);
            pool[count++] = c;
        }
        if (count == members) return [];
        var all = pool[..count];
        var (before, after) = (Threshold(all, clockwise: false), Threshold(all, clockwise: true));
        List<RingId>? admitted = null;
        foreach (var c in pool[members..count])
            if (c.DistanceTo(Self) <= before || Self.DistanceTo(c) <= after) (admitted ??= []).Add(c);
        return admitted is null ? [] : admitted;
    }

    /// <summary>The same as <see cref="WouldAdmit"/> for a pool too large for the stack (a long Leave list, say).</summary>
    private IReadOnlyList<RingId> WouldAdmitSlow(ReadOnlySpan<RingId> candidates)
    {
        var fresh = new List<RingId>();
        foreach (var c in candidates)
            if (c != Self && !Contains(c) && !fresh.Contains(c)) fresh.Add(c);
        var pool = AllList();
        pool.AddRange(fresh);
        var (preds, succs) = Best(pool);
        var admitted = new List<RingId>(fresh.Count);
        foreach (var c in fresh)
            if (preds.Contains(c) || succs.Contains(c)) admitted.Add(c);
        return admitted;
    }

    /// <summary>Offers peers for the table; returns whether it changed.</summary>
    public bool Add(IEnumerable<RingId> candidates)
    {
        var given = AsSpan(candidates);
        Span<RingId> pool = stackalloc RingId[PoolLimit];
        int count = Members(pool);
        foreach (var c in given)
        {
            if (c == Self || pool[..count].Contains(c)) continue;
            if (count == pool.Length)
            {
                var all = AllList();
                all.AddRange(given);
                var (preds, succs) = Best(all);
                return Set(preds, succs);
            }
            pool[count++] = c;
        }
        return SetClosest(pool[..count]);
    }

    /// <summary>Removes a peer; <paramref name="replacements"/> (the rest of the Routing Table) fill the gap (§10.7.1).</summary>
    public bool Remove(RingId id, IEnumerable<RingId> replacements)
    {
        if (!Contains(id)) return false;
        var pool = AllList();
        pool.Remove(id);
        foreach (var r in replacements) if (r != id) pool.Add(r);
        var (preds, succs) = Best(pool);
        Set(preds, succs);
        return true;
    }

    private bool Set(List<RingId> preds, List<RingId> succs)
    {
        bool changed = !preds.SequenceEqual(_predecessors) || !succs.SequenceEqual(_successors);
        _predecessors = preds;
        _successors = succs;
        return changed;
    }

    /// <summary>The candidates as a span: lists and arrays as they are (enumerating them through the interface allocates), others copied.</summary>
    private static ReadOnlySpan<RingId> AsSpan(IEnumerable<RingId> candidates) => candidates switch
    {
        List<RingId> list => CollectionsMarshal.AsSpan(list),
        RingId[] array => array,
        _ => candidates.ToArray(),
    };

    /// <summary>Candidates held on the stack at most (the tables, an Update's lists and its fingers fit).</summary>
    private const int PoolLimit = 64;

    /// <summary>Writes the table's members, each once, into <paramref name="pool"/>; returns how many.</summary>
    private int Members(Span<RingId> pool)
    {
        int count = 0;
        foreach (var id in _predecessors) if (!pool[..count].Contains(id)) pool[count++] = id;
        foreach (var id in _successors) if (!pool[..count].Contains(id)) pool[count++] = id;
        return count;
    }

    /// <summary>
    /// Sets the tables to the closest of a pool of distinct ids without Self (as <see cref="Best"/> would);
    /// new lists only when they change, so a list once handed out never changes.
    /// </summary>
    private bool SetClosest(ReadOnlySpan<RingId> pool)
    {
        Span<RingId> preds = stackalloc RingId[Math.Min(Size, pool.Length)];
        Span<RingId> succs = stackalloc RingId[preds.Length];
        Closest(pool, clockwise: false, preds);
        Closest(pool, clockwise: true, succs);
        bool changed = !preds.SequenceEqual(CollectionsMarshal.AsSpan(_predecessors)) || !succs.SequenceEqual(CollectionsMarshal.AsSpan(_successors));
        if (!changed) return false;
        _predecessors = [.. preds];
        _successors = [.. succs];
        return true;
    }

    /// <summary>The distance of the <see cref="Size"/>'th nearest id of the pool going one way (the farthest one kept); the largest distance when the pool is smaller.</summary>
    private UInt128 Threshold(ReadOnlySpan<RingId> pool, bool clockwise)
    {
        if (pool.Length <= Size) return UInt128.MaxValue;
        UInt128 floor = 0;
        for (int k = 0; k < Size; k++)
        {
            UInt128 best = UInt128.MaxValue;
            foreach (var x in pool)
            {
                var d = Distance(x, clockwise);
                if ((k == 0 || d > floor) && d < best) best = d;
            }
            floor = best;
        }
        return floor;
    }

    /// <summary>Fills <paramref name="into"/> with the nearest ids of a pool of distinct ids going one way, nearest first (a selection: the pool is small).</summary>
    private void Closest(ReadOnlySpan<RingId> pool, bool clockwise, Span<RingId> into)
    {
        UInt128 floor = 0;
        for (int k = 0; k < into.Length; k++)
        {
            UInt128 best = UInt128.MaxValue;
            RingId bestId = default;
            bool found = false;
            foreach (var x in pool)
            {
                var d = Distance(x, clockwise);
                if ((k == 0 || d > floor) && (!found || d < best)) { best = d; bestId = x; found = true; }
            }
            into[k] = bestId;
            floor = best;
        }
    }

    private UInt128 Distance(RingId x, bool clockwise) => clockwise ? Self.DistanceTo(x) : x.DistanceTo(Self);

    /// <summary>
    /// The <see cref="Size"/> closest peers of the pool on either side. Distinct ids are at distinct
    /// distances from this peer, so sorting by distance has one result however it sorts.
    /// </summary>
    private (List<RingId> Preds, List<RingId> Succs) Best(List<RingId> pool)
    {
        var distinct = new List<RingId>(pool.Count);
        foreach (var x in pool)
            if (x != Self && !distinct.Contains(x)) distinct.Add(x);
        var span = CollectionsMarshal.AsSpan(distinct);
        var preds = new RingId[Math.Min(Size, span.Length)];
        var succs = new RingId[preds.Length];
        Closest(span, clockwise: false, preds);
        Closest(span, clockwise: true, succs);
        return ([.. preds], [.. succs]);
    }
}
