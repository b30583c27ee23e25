using P2psip.Messages;
using P2psip.Messages.Storage;
using P2psip.Wire;

namespace P2psip.Peer.Storage;

public sealed partial class StorageEngine
{
    /// <summary>
    /// Find (§7.4.4): for each Kind, the Resource-ID held here that is closest to the requested one.
    /// "Closest" is read as the first held Resource-ID at or clockwise after the requested one, so that
    /// iterating R(n+1) = nearest(1 + R(n)) walks the peer's data in ring order, as §7.4.4 describes.
    /// An unknown Kind, or a Kind with no data here, answers a zero-length Resource-ID ("0", §7.4.4.2).
    /// </summary>
    public MessageBody Find(FindReq request, StorageRequest context)
    {
        // "If the processing peer is not responsible for the specified Resource-ID, it SHOULD return an Error_Not_Found" (§7.4.4.2).
        if (!Responsibility.IsResponsibleFor(request.Resource))
            return StorageErrors.NotFound($"this peer is not responsible for Resource-ID {request.Resource.ToHex()} (§7.4.4.2)");
        // "Each value MUST appear only once. Otherwise, the request MUST be rejected with an error" (§7.4.4.1).
        var duplicate = request.Kinds.GroupBy(k => k).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) return StorageErrors.InvalidMessage($"Kind-ID {duplicate.Key} appears twice in the FindReq (§7.4.4.1)");

        lock (_lock)
        {
            ulong now = context.NowMilliseconds;
            var results = new List<FindKindData>();
            foreach (var kind in request.Kinds)
            {
                Opaque closest = Opaque.Empty;
                byte[]? best = null;
                if (Kinds.ContainsKey(kind))
                {
                    foreach (var (resource, slots) in _resources)
                    {
                        if (!slots.TryGetValue(kind, out var slot) || !slot.Entries.Values.Any(e => !e.ExpiredAt(now))) continue;
                        var distance = RingOrder.ClockwiseDistance(request.Resource, resource);
                        if (best is null || distance.AsSpan().SequenceCompareTo(best) < 0)
                        {
                            best = distance;
                            closest = resource;
                        }
                    }
                }
                results.Add(new FindKindData(kind, closest));
            }
            return new FindAns(results.ToArray());
        }
    }
}
