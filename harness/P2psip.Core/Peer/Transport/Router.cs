using P2psip.Messages;
using P2psip.Peer.Chord;
using P2psip.Wire;

namespace P2psip.Peer.Transport;

/// <summary>
/// Symmetric recursive routing (§6.1.1, §6.1.2, §6.2): reads the Destination List, delivers what is
/// for this peer, and forwards the rest to the next hop the overlay routing (or a persona) names,
/// appending the previous hop to the Via List and decrementing the TTL.
/// </summary>
internal sealed class Router(PeerOptions options, LinkTable links, IOverlayRouting routing, AdmissionChecks checks, TransportObserver observe)
{
    /// <summary>Delivery to this peer (set by the transport).</summary>
    public Action<ReloadMessage, IPeerLink?> Deliver { get; set; } = (_, _) => { };

    /// <summary>An error back along the reversed path (set by the transport).</summary>
    public Action<ReloadMessage, List<Opaque>, Refusal, IPeerLink?> ErrorBack { get; set; } = (_, _, _, _) => { };

    public long MessagesSent { get; private set; }
    public long MessagesForwarded { get; private set; }

    public void Route(ReloadMessage message, IPeerLink? from)
    {
        var destinations = message.Header.DestinationList;
        int skip = 0;
        while (true)
        {
            if (skip >= destinations.Count)
            {
                observe(AdmissionStep.EmptyDestinations, message, from, "no destination left");
                return;
            }
            switch (destinations[skip])
            {
                case NodeDestination node:
                {
                    var id = RingId.From(node.NodeId);
                    if (node.NodeId == options.NodeId)
                    {
                        skip++;
                        if (skip == destinations.Count) { Deliver(Strip(message, skip - 1), from); return; }
                        continue;
                    }
                    if (node.NodeId.Span.IndexOfAnyExcept((byte)0xFF) < 0) { Deliver(Strip(message, skip), from); return; } // wildcard (§6.1.1)
                    if (links.IsConnected(id)) { Forward(message, skip, from, id); return; }
                    if (routing.IsResponsible(id))
                    {
                        // §6.1.1: a Node-ID we are responsible for that is not us and not connected: drop silently.
                        observe(AdmissionStep.NoSuchNode, message, from, $"{node.NodeId.ToHex()} is not connected");
                        return;
                    }
                    ForwardTowards(message, skip, from, id);
                    return;
                }
                case ResourceDestination resource:
                {
                    var id = RingId.From(resource.ResourceId);
                    if (routing.IsResponsible(id))
                    {
                        // §6.1.1: a Resource-ID must be the only (remaining) entry.
                        if (skip != destinations.Count - 1) { observe(AdmissionStep.ResourceNotLast, message, from, $"{destinations.Count - 1 - skip} entries after it"); return; }
                        Deliver(Strip(message, skip), from);
                        return;
                    }
                    ForwardTowards(message, skip, from, id);
                    return;
                }
                default:
                    // This peer never compresses lists, so an opaque id is not one of ours (§6.1.3).
                    observe(AdmissionStep.OpaqueDestination, message, from, destinations[skip].ToString() ?? "opaque");
                    return;
            }
        }
    }

    private void ForwardTowards(ReloadMessage message, int skip, IPeerLink? from, RingId target)
    {
        var next = routing.NextHop(target);
        if (next is null) { observe(AdmissionStep.NoRoute, message, from, $"no next hop towards {target}"); return; }
        Forward(message, skip, from, next.Value);
    }

    private static ReloadMessage Strip(ReloadMessage message, int count) =>
        count == 0 ? message : message with { Header = message.Header with { DestinationList = Stripped(message.Header.DestinationList, count) } };

    private static ValueList<Destination> Stripped(ValueList<Destination> list, int count) => new(list.AsSpan()[count..].ToArray());

    /// <summary>
    /// Sends towards <paramref name="next"/> without the first <paramref name="skip"/> entries of the
    /// Destination List (those were this peer): a forwarder appends the previous hop to the Via List
    /// and decrements the TTL (§6.1.2, §6.3.2); the originator sends as built. The header is copied
    /// once for all of it (refusals and observations read only the transaction id and code).
    /// </summary>
    private void Forward(ReloadMessage message, int skip, IPeerLink? from, RingId next)
    {
        if (!links.TryGet(next, out var link) || !link.IsOpen) { observe(AdmissionStep.NextHopGone, message, from, $"{next} has no open link"); return; }
        if (from is not null)
        {
            if ((checks.TtlExpired(message.Header) ?? checks.ForwardCritical(message.Header)) is { } refusal)
            {
                ErrorBack(message, WithPreviousHop(message.Header.ViaList, from.RemoteNodeId), refusal, from);
                return;
            }
            message = message with
            {
                Header = message.Header with
                {
                    Ttl = message.Header.Ttl == 0 ? (byte)0 : (byte)(message.Header.Ttl - 1),
                    ViaList = Appended(message.Header.ViaList, new NodeDestination(from.RemoteNodeId)),
                    DestinationList = skip == 0 ? message.Header.DestinationList : Stripped(message.Header.DestinationList, skip),
                },
            };
            MessagesForwarded++;
        }
        else message = Strip(message, skip);
        MessagesSent++;
        link.SendOwned(ReloadCodec.Encode(message));
    }

    /// <summary>The list with one more entry at its end (a spread would enumerate the list through an allocated enumerator, once per hop).</summary>
    private static ValueList<Destination> Appended(ValueList<Destination> list, Destination last)
    {
        var items = new Destination[list.Count + 1];
        list.AsSpan().CopyTo(items);
        items[^1] = last;
        return new ValueList<Destination>(items);
    }

    /// <summary>§6.1.2: the path back is the Via List plus the link the message came on.</summary>
    public static List<Opaque> WithPreviousHop(ValueList<Destination> via, Opaque previousHop)
    {
        var list = new List<Opaque>(via.Count + 1);
        foreach (var d in via.AsSpan())
            list.Add(d is NodeDestination n ? n.NodeId : Opaque.Empty);
        if (!previousHop.IsEmpty) list.Add(previousHop);
        return list;
    }
}

/// <summary>Records what an admission step did to a message (the transport's <see cref="ObservationLog"/>).</summary>
internal delegate void TransportObserver(AdmissionStep step, ReloadMessage? message, IPeerLink? link, string reason);
