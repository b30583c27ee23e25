using P2psip.Peer.Chord;

namespace P2psip.Peer.Transport;

/// <summary>
/// The Connection Table (§6.1, §6.6): one open link per remote Node-ID, at most
/// <see cref="PeerOptions.MaxLinks"/>. It decides which link stays when a Node-ID links twice
/// (UN-5): a repeat opened from the same side replaces the older one (the remote end reconnected);
/// across sides the link opened by the lower Node-ID stays, so two peers attaching to each other
/// at once keep the same link at both ends. A link that does not stay is closed by the caller,
/// never left delivering outside the table.
/// </summary>
internal sealed class LinkTable(RingId self, int maxLinks)
{
    private readonly Dictionary<RingId, IPeerLink> _links = [];
    private readonly HashSet<IPeerLink> _inbound = new(ReferenceEqualityComparer.Instance);

    public int Count => _links.Count;
    public IEnumerable<RingId> Connected => _links.Keys;

    public bool IsConnected(RingId id) => _links.TryGetValue(id, out var l) && l.IsOpen;

    public bool TryGet(RingId id, out IPeerLink link) => _links.TryGetValue(id, out link!);

    /// <summary>What happened to a link offered to the table.</summary>
    public enum Admission { Added, Replaced, Refused, Full }

    /// <summary>Offers a link; on <see cref="Admission.Replaced"/>, <paramref name="replaced"/> is the link that left the table.</summary>
    public Admission Offer(IPeerLink link, bool inbound, out IPeerLink? replaced)
    {
        replaced = null;
        var id = RingId.From(link.RemoteNodeId);
        if (_links.TryGetValue(id, out var existing) && existing.IsOpen)
        {
            bool existingInbound = _inbound.Contains(existing);
            // The lower Node-ID's link wins across sides; the newer one from the same side.
            bool keepNew = existingInbound == inbound || (inbound ? id.Value < self.Value : self.Value < id.Value);
            if (!keepNew) return Admission.Refused;
            Put(id, link, inbound);
            _inbound.Remove(existing);
            replaced = existing;
            return Admission.Replaced;
        }
        if (_links.Count >= maxLinks && !_links.ContainsKey(id)) return Admission.Full;
        if (existing is not null) _inbound.Remove(existing);
        Put(id, link, inbound);
        return Admission.Added;
    }

    private void Put(RingId id, IPeerLink link, bool inbound)
    {
        _links[id] = link;
        if (inbound) _inbound.Add(link);
    }

    /// <summary>Removes the Node-ID's link, whichever it is.</summary>
    public bool Remove(RingId id, out IPeerLink link)
    {
        if (!_links.Remove(id, out link!)) return false;
        _inbound.Remove(link);
        return true;
    }

    /// <summary>Removes <paramref name="link"/> if it is the one the table holds for its Node-ID.</summary>
    public bool RemoveIfCurrent(IPeerLink link)
    {
        _inbound.Remove(link);
        var id = RingId.From(link.RemoteNodeId);
        if (!_links.TryGetValue(id, out var current) || !ReferenceEquals(current, link)) return false;
        _links.Remove(id);
        return true;
    }

    public bool IsCurrent(IPeerLink link) =>
        _links.TryGetValue(RingId.From(link.RemoteNodeId), out var current) && ReferenceEquals(current, link);
}
