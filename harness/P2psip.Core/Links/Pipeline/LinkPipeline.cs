using System.Collections.Immutable;

namespace P2psip.Links;

/// <summary>
/// The ordered chain of <see cref="ILinkHandler"/>s on one link (DESIGN.md: capture, the adversary
/// and certificate learning are handlers in it). Handlers are listed from the link's owner (index 0)
/// to the wire (the last): an outbound message passes them first to last and then is written; an
/// inbound message read from the wire passes them last to first and then is queued for the owner.
/// So <see cref="Add"/> puts a handler nearest the wire (capture added last records what is on the
/// wire, after the adversary's changes) and <see cref="AddFirst"/> nearest the owner.
/// Handlers can be added and removed at any time; a message already under way goes on through the
/// chain as it is when each step is taken.
/// </summary>
public sealed class LinkPipeline
{
    private readonly Func<LinkInfo> _info;
    private readonly Func<ReadOnlyMemory<byte>, ValueTask> _toWire;
    private readonly Func<ReadOnlyMemory<byte>, ValueTask> _toOwner;
    private ImmutableArray<LinkContext> _chain = [];

    /// <summary>
    /// A pipeline whose outbound end writes with <paramref name="toWire"/> and whose inbound end
    /// hands over with <paramref name="toOwner"/>. Links make their own; public for links written
    /// elsewhere (test doubles, the adversary's proxy).
    /// </summary>
    public LinkPipeline(Func<LinkInfo> info, Func<ReadOnlyMemory<byte>, ValueTask> toWire, Func<ReadOnlyMemory<byte>, ValueTask> toOwner, CancellationToken closing = default)
    {
        _info = info;
        _toWire = toWire;
        _toOwner = toOwner;
        Closing = closing;
    }

    public LinkInfo Info => _info();
    public CancellationToken Closing { get; }
    public IReadOnlyList<ILinkHandler> Handlers => _chain.Select(c => c.Handler).ToList();
    public bool IsEmpty => _chain.IsEmpty;

    /// <summary>Handler faults on inbound messages (the message is dropped; outbound faults go to the sender).</summary>
    public long HandlerFaults => Interlocked.Read(ref _handlerFaults);
    private long _handlerFaults;
    public Exception? LastHandlerFault { get; private set; }

    /// <summary>Adds <paramref name="handler"/> at the wire end.</summary>
    public LinkPipeline Add(ILinkHandler handler) => Insert(handler, atOwnerEnd: false);

    /// <summary>Adds <paramref name="handler"/> at the owner end.</summary>
    public LinkPipeline AddFirst(ILinkHandler handler) => Insert(handler, atOwnerEnd: true);

    public bool Remove(ILinkHandler handler)
    {
        while (true)
        {
            var chain = _chain;
            int at = IndexOf(chain, handler);
            if (at < 0) return false;
            if (ImmutableInterlocked.InterlockedCompareExchange(ref _chain, chain.RemoveAt(at), chain) == chain) return true;
        }
    }

    /// <summary>Puts <paramref name="replacement"/> in <paramref name="existing"/>'s place (or at the wire end if it is not there).</summary>
    public void Replace(ILinkHandler existing, ILinkHandler replacement)
    {
        var context = new LinkContext(this, replacement);
        while (true)
        {
            var chain = _chain;
            int at = IndexOf(chain, existing);
            var next = at < 0 ? chain.Add(context) : chain.SetItem(at, context);
            if (ImmutableInterlocked.InterlockedCompareExchange(ref _chain, next, chain) == chain) break;
        }
        replacement.Attached(context);
    }

    private LinkPipeline Insert(ILinkHandler handler, bool atOwnerEnd)
    {
        var context = new LinkContext(this, handler);
        ImmutableInterlocked.Update(ref _chain, c => atOwnerEnd ? c.Insert(0, context) : c.Add(context));
        handler.Attached(context);
        return this;
    }

    /// <summary>Sends <paramref name="message"/> through the whole chain from the end it enters at.</summary>
    public ValueTask RunAsync(LinkMessage message)
    {
        var chain = _chain;
        return Step(chain, message.Direction == LinkDirection.Outbound ? 0 : chain.Length - 1, message);
    }

    /// <summary>An inbound message from the wire; a handler's fault drops it and is counted, so one bad handler cannot end the link.</summary>
    internal async ValueTask ReceivedAsync(ReadOnlyMemory<byte> bytes)
    {
        try { await RunAsync(LinkMessage.Inbound(bytes)).ConfigureAwait(false); }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Interlocked.Increment(ref _handlerFaults);
            LastHandlerFault = e;
        }
    }

    internal ValueTask ContinueAsync(ILinkHandler from, LinkMessage message)
    {
        var chain = _chain;
        int at = IndexOf(chain, from);
        if (at < 0) return message.Direction == LinkDirection.Outbound ? _toWire(message.Bytes) : _toOwner(message.Bytes);
        return Step(chain, message.Direction == LinkDirection.Outbound ? at + 1 : at - 1, message);
    }

    private ValueTask Step(ImmutableArray<LinkContext> chain, int index, LinkMessage message)
    {
        if (message.Direction == LinkDirection.Outbound)
        {
            if (index >= chain.Length) return _toWire(message.Bytes);
        }
        else if (index < 0) return _toOwner(message.Bytes);
        var context = chain[index];
        return context.Handler.HandleAsync(message, context);
    }

    private static int IndexOf(ImmutableArray<LinkContext> chain, ILinkHandler handler)
    {
        for (int i = 0; i < chain.Length; i++)
            if (ReferenceEquals(chain[i].Handler, handler)) return i;
        return -1;
    }
}
