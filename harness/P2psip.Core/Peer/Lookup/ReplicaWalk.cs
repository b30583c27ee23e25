using P2psip.Messages;
using P2psip.Messages.Chord;
using P2psip.Messages.Topology;
using P2psip.Peer.Chord;
using P2psip.Wire;

namespace P2psip.Peer.Lookup;

/// <summary>
/// An iterative walk the requester controls (§6.4.2.4, Appendix A.1: "allows the querying peer to
/// identify and route around misbehaving peers"), to the replica set of a Resource-ID (§10.4: the
/// responsible peer and its two successors), with S/Kademlia's and Castro et al.'s idea that a
/// request must not depend on any one forwarder:
/// <list type="number">
/// <item>Each step attaches (§6.5.1) to the known node closest before the Resource-ID, source-routed
/// through a peer whose table names it (the "introducer", as §10.7.3 attaches to Update candidates),
/// with send_update so the node sends its Routing Table over the new link (§10.5 step 2); a node
/// already linked is asked by RouteQuery with send_update (§6.4.2.4). Its predecessors, itself and
/// its successors are a stretch of the ring as it knows it; its fingers are candidates.</item>
/// <item>A step that is not answered within two transmissions (not five: another node is the retry)
/// marks the introducer as a forwarder that does not forward; the walk backtracks to the next best
/// candidate or another introducer of the same node.</item>
/// <item>The walk ends when a stretch contains the Resource-ID: the first node at or after it is the
/// responsible peer, the next two its replicas, each with the linked nodes that can reach it in one
/// hop.</item>
/// </list>
/// Runs under the peer's lock (started there; the transport and the scheduler call back there).
/// </summary>
internal sealed class ReplicaWalk
{
    /// <summary>The responsible peer and its two successors (§10.4).</summary>
    public const int ReplicaSetSize = 3;

    /// <summary>
    /// Transmissions of each Attach step through an introducer: one, with one reliability timer
    /// (§6.2.1) to answer. The walk's next candidate or introducer is the retry: a second copy to a
    /// node that drops what it should forward is one more wasted message.
    /// </summary>
    public const int StepTransmissions = 1;

    /// <summary>
    /// Transmissions of a RouteQuery over a direct link and of the Fetches and Stores to the replica
    /// set: one retransmission (§6.2.1) against a lost message or a forwarder that drops only some,
    /// as those requests have few alternatives (three members, the walk's linked nodes).
    /// </summary>
    public const int AnswerTransmissions = 2;

    /// <summary>Reliability timers to wait for the Update a step asked for (it follows the answer and, after an Attach, the new link).</summary>
    private const int UpdateWaitTimers = 2;

    private readonly ReferencePeer _peer;
    private readonly RingId _k;
    private int _budget;
    private Action<ReplicaWalk> _done;
    private readonly Dictionary<RingId, List<RingId>> _tables = [];
    private readonly List<List<RingId>> _stretches = [];
    private readonly HashSet<RingId> _tried = [];
    private readonly HashSet<RingId> _dead = [];
    private readonly HashSet<RingId> _badForwarders = [];
    private readonly Dictionary<RingId, int> _attempts = [];
    private readonly HashSet<RingId> _opened = [];
    private readonly HashSet<RingId> _known = [];
    private int _steps, _generation;
    private bool _finished, _extending;
    private IReadOnlySet<RingId> _wanted = new HashSet<RingId>();

    public ReplicaWalk(ReferencePeer peer, RingId k, int failuresAllowed, Action<ReplicaWalk> done)
    {
        _peer = peer;
        _k = k;
        _done = done;
        var chord = peer.Chord;
        var own = chord.Predecessors.Concat(chord.Successors).Concat(chord.Fingers).Where(peer.Transport.IsConnected).Distinct().ToList();
        _tables[peer.Self] = own;
        _stretches.Add([.. chord.Predecessors.Reverse(), peer.Self, .. chord.Successors]);
        _known.Add(peer.Self);
        _known.UnionWith(own);
        // A walk takes about log2(N) steps at most (§10.3's fingers halve the distance); each failure costs one more.
        _budget = 2 * (int)Math.Ceiling(Log2RingSize(chord.Successors)) + failuresAllowed;
    }

    /// <summary>The replica set found, closest to the Resource-ID first; empty when the walk gave up.</summary>
    public IReadOnlyList<RingId> Replicas { get; private set; } = [];

    /// <summary>Every node the walk learned of (for the replica-set check of the answers).</summary>
    public IReadOnlySet<RingId> Known => _known;

    /// <summary>Requests the walk sent (Attaches and RouteQueries).</summary>
    public int Requests { get; private set; }

    /// <summary>Why the walk gave up, when it did.</summary>
    public string? Failure { get; private set; }

    public void Start() => Step();

    /// <summary>log2 of the ring's size as this peer's successors suggest it (§10.7: the mean spacing of the successor list).</summary>
    private double Log2RingSize(IReadOnlyList<RingId> successors)
    {
        if (successors.Count == 0) return 1;
        var spacing = _peer.Self.DistanceTo(successors[^1]) / (UInt128)successors.Count;
        return spacing == 0 ? 1 : Math.Max(1, 128 - Math.Log2((double)spacing));
    }

    /// <summary>
    /// Routes to <paramref name="member"/>, best first: directly when linked; else through a linked
    /// node whose table names it (one forwarder) that has not failed to forward, those not in
    /// <paramref name="avoid"/> (carrying another copy) first; last, the overlay's own route to its Node-ID.
    /// </summary>
    public IEnumerable<Destination[]> RoutesTo(RingId member, ISet<RingId> avoid)
    {
        var direct = new NodeDestination(member.ToOpaque());
        if (_peer.Transport.IsConnected(member)) { yield return [direct]; yield break; }
        var usable = Introducers(member).Where(i => i != _peer.Self && !_badForwarders.Contains(i)).ToList();
        foreach (var via in usable.Where(i => !avoid.Contains(i)).Concat(usable.Where(avoid.Contains)))
            yield return [new NodeDestination(via.ToOpaque()), direct];
        yield return [direct];
    }

    /// <summary>A forwarder that let a request through it die: not used again by this walk.</summary>
    public void Distrust(RingId forwarder) => _badForwarders.Add(forwarder);

    /// <summary>Closes the links this walk opened that the peer's own tables do not use (they were for this lookup only).</summary>
    public void Release()
    {
        var chord = _peer.Chord;
        var kept = chord.Predecessors.Concat(chord.Successors).Concat(chord.Fingers).ToHashSet();
        foreach (var node in _opened)
            if (!kept.Contains(node) && !_peer.LookupLinks.InUse(node, this)) _peer.Transport.CloseLink(node);
        _peer.LookupLinks.Forget(this);
    }

    /// <summary>
    /// More steps after the lookup found no route to the members left: links to further nodes of
    /// the neighbourhood (the nearest to the Resource-ID on either side), each one a forwarder that
    /// can reach the members in one hop; <paramref name="done"/> after a new table that names one of
    /// <paramref name="wanted"/> (or comes from one of them: now linked), or when the steps are spent.
    /// </summary>
    public void Extend(int steps, IReadOnlySet<RingId> wanted, Action<ReplicaWalk> done)
    {
        _done = done;
        _wanted = wanted;
        _extending = true;
        _finished = false;
        _budget = _steps + steps;
        Step();
    }

    private void Step()
    {
        if (_finished) return;
        int step = ++_generation;
        var replicas = FindReplicas();
        // Two members are enough to start: two answers are what the lookup takes; the third is found if one fails.
        bool complete = replicas is { Count: >= 2 };
        if (!_extending && complete) { Finish(replicas!, null); return; }
        // A partial set (the stretch ends at a member) or an extension: the neighbourhood next, nearest first.
        bool near = _extending || replicas is not null;
        if (_steps >= _budget || Next(near) is not { } next)
        {
            if (replicas is not null) Finish(replicas, null);
            else Finish([], $"no replica set of {_k} after {_steps} steps");
            return;
        }
        _steps++;
        var (node, via) = next;
        _attempts[node] = _attempts.GetValueOrDefault(node) + 1;
        if (_peer.Transport.IsConnected(node))
        {
            // Linked already: ask for its table over the link (§6.4.2.4 send_update).
            _tried.Add(node);
            _peer.LookupLinks.Use(node, this);
            Requests++;
            AwaitUpdate(node, step);
            _peer.Transport.SendRequest([new NodeDestination(node.ToOpaque())], new RouteQueryReq(true, new ResourceDestination(_k.ToOpaque())),
                outcome => { if (outcome.IsError && step == _generation) Silent(node); }, maxTransmissions: AnswerTransmissions);
            return;
        }
        Requests++;
        Destination[] route = via == _peer.Self
            ? [new NodeDestination(node.ToOpaque())]
            : [new NodeDestination(via.ToOpaque()), new NodeDestination(node.ToOpaque())];
        _peer.Chord.AttachForLookup(route, sendUpdate: true, StepTransmissions, attached =>
        {
            if (_finished || step != _generation) return;
            if (attached != node)
            {
                // Nobody answered through this introducer: it does not forward (or the node is gone).
                if (via != _peer.Self) _badForwarders.Add(via);
                if (_attempts[node] >= 2) _dead.Add(node);
                Step();
                return;
            }
            _tried.Add(node);
            _opened.Add(node);
            _peer.LookupLinks.Use(node, this);
            AwaitUpdate(node, step);
        });
    }

    /// <summary>Waits for <paramref name="node"/>'s Update, two reliability timers at most.</summary>
    private void AwaitUpdate(RingId node, int step)
    {
        bool heard = false;
        Action<ChordUpdate> onUpdate = update =>
        {
            if (heard) return;
            heard = true;
            Learn(node, update);
            if (_finished || step != _generation) return;
            if (_extending && (_wanted.Contains(node) || _tables[node].Any(_wanted.Contains))) { Finish(FindReplicas() ?? [], null); return; }
            Step();
        };
        _peer.LookupLinks.AwaitUpdate(node, onUpdate);
        _peer.Options.Scheduler.Schedule(_peer.Options.ReliabilityTimer * UpdateWaitTimers, () =>
        {
            lock (_peer.Gate)
            {
                if (heard) return;
                heard = true;
                // No Update came: this walk stops waiting for one (the list would keep it otherwise).
                _peer.LookupLinks.StopAwaiting(node, onUpdate);
                if (!_finished && step == _generation) Silent(node);
            }
        });
    }

    private void Silent(RingId node)
    {
        if (_finished) return;
        _dead.Add(node);
        Step();
    }

    private void Learn(RingId node, ChordUpdate update)
    {
        List<RingId> preds = [], succs = [], fingers = [];
        switch (update)
        {
            case FullUpdate f:
                preds = f.Predecessors.Select(RingId.From).ToList();
                succs = f.Successors.Select(RingId.From).ToList();
                fingers = f.Fingers.Select(RingId.From).ToList();
                break;
            case NeighborsUpdate n:
                preds = n.Predecessors.Select(RingId.From).ToList();
                succs = n.Successors.Select(RingId.From).ToList();
                break;
        }
        var table = preds.Concat(succs).Concat(fingers).Where(n => n != node && n != _peer.Self).Distinct().ToList();
        _tables[node] = table;
        _known.Add(node);
        _known.UnionWith(table);
        preds.Reverse();
        _stretches.Add([.. preds, node, .. succs]);
    }

    /// <summary>The replica set, when a stretch of the ring (one node's predecessors, itself, its successors) contains the Resource-ID.</summary>
    private List<RingId>? FindReplicas()
    {
        List<RingId>? best = null;
        foreach (var s in _stretches)
        {
            for (int i = 0; i + 1 < s.Count; i++)
            {
                if (s[i] == s[i + 1] || !RingId.InHalfOpen(_k, s[i], s[i + 1])) continue;
                var set = s.Skip(i + 1).Distinct().Take(ReplicaSetSize).ToList();
                if (best is null || set.Count > best.Count) best = set;
                break;
            }
        }
        if (best is null) return null;
        // A shorter stretch ends before the third member: its successors come from another stretch that starts at a member.
        foreach (var s in _stretches)
        {
            if (best.Count >= ReplicaSetSize) break;
            int at = s.IndexOf(best[^1]);
            if (at < 0) continue;
            foreach (var n in s.Skip(at + 1))
                if (best.Count < ReplicaSetSize && !best.Contains(n)) best.Add(n);
        }
        return best;
    }

    /// <summary>
    /// The next node to ask and through whom: the known node closest before the Resource-ID (§10.3's
    /// next hop, chosen by the requester) with an introducer that has not failed; failing that, the
    /// closest after it (its predecessors show the responsible peer). With <paramref name="near"/>,
    /// the nearest on either side (the neighbourhood, once the replica set is in sight).
    /// </summary>
    private (RingId Node, RingId Via)? Next(bool near)
    {
        var self = _peer.Self;
        (RingId, RingId)? best = null;
        UInt128 bestDistance = UInt128.MaxValue;
        bool bestPrecedes = false;
        foreach (var n in _known)
        {
            if (n == self || _tried.Contains(n) || _dead.Contains(n)) continue;
            bool precedes = near || RingId.InOpen(n, self, _k);
            var distance = near ? UInt128.Min(n.DistanceTo(_k), _k.DistanceTo(n)) : precedes ? n.DistanceTo(_k) : _k.DistanceTo(n);
            if (bestPrecedes && !precedes) continue;
            if (precedes == bestPrecedes && distance >= bestDistance) continue;
            var via = _peer.Transport.IsConnected(n) ? self : Introducers(n).Where(i => !_badForwarders.Contains(i)).Cast<RingId?>().FirstOrDefault();
            if (via is null) continue;
            best = (n, via.Value);
            bestDistance = distance;
            bestPrecedes = precedes;
        }
        return best;
    }

    /// <summary>Linked nodes whose table names <paramref name="node"/>, the nearest to it first (its neighbours before far fingers).</summary>
    private IEnumerable<RingId> Introducers(RingId node) =>
        _tables.Where(t => t.Key != node && t.Value.Contains(node) && (t.Key == _peer.Self || _peer.Transport.IsConnected(t.Key)))
            .Select(t => t.Key)
            .OrderBy(i => UInt128.Min(i.DistanceTo(node), node.DistanceTo(i)));

    private void Finish(List<RingId> replicas, string? failure)
    {
        _finished = true;
        Replicas = replicas;
        Failure = failure;
        _done(this);
    }
}
