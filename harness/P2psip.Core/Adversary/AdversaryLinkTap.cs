using P2psip.Links;
using P2psip.Wire;

namespace P2psip.Adversary;

/// <summary>
/// Puts an <see cref="AdversaryEngine"/> on today's <see cref="LinkTap"/> hook of one link end. The
/// tap can only pass one message on or drop it, so: the first undelayed <see cref="ForwardEffect"/>
/// is what the tap returns (none: dropped). When the adapter is attached to the link
/// (<see cref="Attach"/>), outbound extras — duplicates, delayed forwards, injected and replayed
/// messages going out, timed replays — are sent through the link afterwards (not decided again), and
/// close/reset disposes it. Everything else (inbound extras, redirects to other nodes) is handed to
/// <see cref="Deferred"/> for a pipeline that can route it, and counted in <see cref="Unapplied"/>.
/// </summary>
public sealed class AdversaryLinkTap
{
    // Messages the adversary sends itself pass every adversary tap unchanged.
    private static readonly AsyncLocal<bool> Sending = new();
    private readonly AdversaryEngine _engine;
    private readonly Func<TimeSpan> _clock;
    private readonly List<Task> _sends = [];
    private readonly List<AdversaryEffect> _unapplied = [];
    private readonly object _lock = new();

    public AdversaryLinkTap(AdversaryEngine engine, Opaque localNodeId, Opaque remoteNodeId, Func<TimeSpan>? clock = null)
    {
        _engine = engine;
        LocalNodeId = localNodeId;
        RemoteNodeId = remoteNodeId;
        var started = System.Diagnostics.Stopwatch.StartNew();
        _clock = clock ?? (() => started.Elapsed);
        Tap = Handle;
    }

    public Opaque LocalNodeId { get; }
    public Opaque RemoteNodeId { get; }
    public LinkTap Tap { get; }
    /// <summary>The link outbound extras are sent through, when attached.</summary>
    public IOverlayLink? Link { get; private set; }
    /// <summary>Effects this adapter cannot carry out itself, with the direction of the message that caused them.</summary>
    public event Action<AdversaryEffect, LinkDirection>? Deferred;
    public IReadOnlyList<AdversaryEffect> Unapplied { get { lock (_lock) return _unapplied.ToArray(); } }

    /// <summary>Sets <paramref name="link"/>'s tap to a new adapter; the remote Node-ID is the link's.</summary>
    public static AdversaryLinkTap Attach(IOverlayLink link, AdversaryEngine engine, Opaque localNodeId, Func<TimeSpan>? clock = null)
    {
        var tap = new AdversaryLinkTap(engine, localNodeId, link.PeerNodeId, clock) { Link = link };
        link.Tap = tap.Tap;
        return tap;
    }

    /// <summary>Waits until the extras sent so far have gone out.</summary>
    public Task Idle()
    {
        lock (_lock) return Task.WhenAll(_sends.ToArray());
    }

    private byte[]? Handle(LinkDirection direction, byte[] message)
    {
        if (Sending.Value) return message;
        var decision = _engine.Decide(new AdversaryMessage(message, direction, _engine.NextPosition())
        {
            LocalNodeId = LocalNodeId,
            RemoteNodeId = RemoteNodeId,
            Time = _clock(),
        });
        byte[]? passed = null;
        var now = new List<byte[]>();
        bool close = false;
        foreach (var effect in decision.Effects)
        {
            if (passed is null && effect is ForwardEffect { Delay.Ticks: 0 } first)
            {
                passed = first.Bytes;
                continue;
            }
            var outbound = effect switch
            {
                ForwardEffect f when direction == LinkDirection.Outbound => (f.Bytes, f.Delay),
                InjectEffect { Direction: LinkDirection.Outbound } i => (i.Bytes, i.Delay),
                ScheduleEffect { Direction: LinkDirection.Outbound, To: null } s => (s.Bytes, s.After),
                _ => ((byte[]?)null, TimeSpan.Zero),
            };
            if (Link is not null && outbound.Item1 is { } bytes)
            {
                if (outbound.Item2 == TimeSpan.Zero) now.Add(bytes);
                else Send(Link, [bytes], outbound.Item2, close: false);
            }
            else if (Link is not null && effect is CloseLinkEffect) close = true;
            else Defer(effect, direction);
        }
        if (Link is { } link && (now.Count > 0 || close))
        {
            // Closing must come after the message has gone: an outbound one is sent by the adapter
            // itself, then the link closes; an inbound one is delivered when the tap returns.
            if (close && direction == LinkDirection.Outbound && passed is not null)
            {
                now.Insert(0, passed);
                passed = null;
            }
            Send(link, now, close && direction == LinkDirection.Inbound ? InboundCloseGrace : TimeSpan.Zero, close);
        }
        return passed;
    }

    /// <summary>How long an inbound message that closes the link has to reach the link's inbox first.</summary>
    private static readonly TimeSpan InboundCloseGrace = TimeSpan.FromMilliseconds(50);

    private void Send(IOverlayLink link, List<byte[]> messages, TimeSpan delay, bool close) => Track(Task.Run(async () =>
    {
        Sending.Value = true;
        if (delay > TimeSpan.Zero) await Task.Delay(delay).ConfigureAwait(false);
        try
        {
            foreach (var bytes in messages) await link.SendAsync(bytes).ConfigureAwait(false);
        }
        catch (LinkFailedException) { } // the link closed meanwhile: nothing to send on
        catch (ObjectDisposedException) { }
        if (close) await link.DisposeAsync().ConfigureAwait(false);
    }));

    private void Track(Task task)
    {
        lock (_lock)
        {
            _sends.RemoveAll(t => t.IsCompleted);
            _sends.Add(task);
        }
    }

    private void Defer(AdversaryEffect effect, LinkDirection direction)
    {
        lock (_lock) _unapplied.Add(effect);
        Deferred?.Invoke(effect, direction);
    }
}
