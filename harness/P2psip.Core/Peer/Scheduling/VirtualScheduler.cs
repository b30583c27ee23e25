namespace P2psip.Peer.Scheduling;

/// <summary>
/// Discrete-event time for simulations: events run in time order (ties in the order scheduled),
/// single-threaded, so a run is a pure function of its inputs and seed.
/// </summary>
public sealed class VirtualScheduler : IScheduler
{
    // An entry's Event is null for work posted without a handle to cancel it (a message in flight).
    private readonly PriorityQueue<(Action Action, Event? Handle), (DateTimeOffset, long)> _queue = new();
    private long _sequence;

    public VirtualScheduler(DateTimeOffset? start = null) => Now = Start = start ?? new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>When virtual time began.</summary>
    public DateTimeOffset Start { get; }

    public DateTimeOffset Now { get; private set; }

    public int Pending => _queue.Count;

    public long EventsRun { get; private set; }

    public IDisposable Schedule(TimeSpan delay, Action action)
    {
        var e = new Event();
        Enqueue(delay, action, e);
        return e;
    }

    /// <summary>
    /// <see cref="Schedule"/> without a handle: for work that is never cancelled (the simulator's
    /// message deliveries), one allocation fewer per event. Same order as <see cref="Schedule"/>.
    /// </summary>
    public void Post(TimeSpan delay, Action action) => Enqueue(delay, action, null);

    private void Enqueue(TimeSpan delay, Action action, Event? handle) =>
        _queue.Enqueue((action, handle), (Now + (delay < TimeSpan.Zero ? TimeSpan.Zero : delay), _sequence++));

    /// <summary>Runs events until none is left at or before <paramref name="until"/>; time then stands at <paramref name="until"/>.</summary>
    public void RunUntil(DateTimeOffset until)
    {
        while (_queue.TryPeek(out var e, out var key) && key.Item1 <= until)
        {
            _queue.Dequeue();
            Now = key.Item1;
            if (e.Handle is { Cancelled: true }) continue;
            EventsRun++;
            e.Action();
        }
        if (until > Now) Now = until;
    }

    public void RunFor(TimeSpan span) => RunUntil(Now + span);

    /// <summary>Runs until no event is left, or <paramref name="maxEvents"/> have run (a guard against endless timers).</summary>
    public bool RunUntilIdle(long maxEvents = 10_000_000)
    {
        long stop = EventsRun + maxEvents;
        while (_queue.TryDequeue(out var e, out var key))
        {
            Now = key.Item1;
            if (e.Handle is { Cancelled: true }) continue;
            EventsRun++;
            e.Action();
            if (EventsRun >= stop) return false;
        }
        return true;
    }

    private sealed class Event : IDisposable
    {
        public bool Cancelled { get; private set; }
        public void Dispose() => Cancelled = true;
    }
}
