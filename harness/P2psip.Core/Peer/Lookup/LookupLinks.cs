using P2psip.Messages.Chord;
using P2psip.Peer.Chord;

namespace P2psip.Peer.Lookup;

/// <summary>
/// One peer's bookkeeping for its running lookups' walks (<see cref="ReplicaWalk"/>): which walk
/// uses which link it opened (a link is closed when no walk uses it), and which walk waits for an
/// Update from which node (the send_update it asked for, §10.5 step 2, §6.4.2.4). Under the peer's lock.
/// </summary>
internal sealed class LookupLinks
{
    private readonly Dictionary<RingId, HashSet<object>> _users = [];
    private readonly Dictionary<RingId, List<Action<ChordUpdate>>> _waiting = [];

    public void Use(RingId node, object walk)
    {
        if (!_users.TryGetValue(node, out var users)) _users[node] = users = [];
        users.Add(walk);
    }

    /// <summary>Whether a walk other than <paramref name="walk"/> still uses the link to <paramref name="node"/>.</summary>
    public bool InUse(RingId node, object walk) => _users.TryGetValue(node, out var users) && users.Any(u => u != walk);

    public void Forget(object walk)
    {
        foreach (var (node, users) in _users.ToList())
            if (users.Remove(walk) && users.Count == 0) _users.Remove(node);
    }

    public void AwaitUpdate(RingId node, Action<ChordUpdate> heard)
    {
        if (!_waiting.TryGetValue(node, out var list)) _waiting[node] = list = [];
        list.Add(heard);
    }

    /// <summary>A walk that gave up waiting for <paramref name="node"/>'s Update (its timer ran out).</summary>
    public void StopAwaiting(RingId node, Action<ChordUpdate> heard)
    {
        if (_waiting.TryGetValue(node, out var list) && list.Remove(heard) && list.Count == 0) _waiting.Remove(node);
    }

    /// <summary>Nodes some walk still waits for an Update from (for tests of the bookkeeping).</summary>
    public int Awaited => _waiting.Count;

    /// <summary>An Update from <paramref name="sender"/>: to every walk waiting for one; true when one was.</summary>
    public bool Heard(RingId sender, ChordUpdate update)
    {
        if (!_waiting.Remove(sender, out var list)) return false;
        foreach (var heard in list) heard(update);
        return true;
    }
}
