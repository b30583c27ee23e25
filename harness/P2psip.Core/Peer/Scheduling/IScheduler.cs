namespace P2psip.Peer.Scheduling;

/// <summary>
/// The peer's notion of time: real time for a live peer, virtual time for the simulator (so that
/// thousands of peers run deterministically from one seed). Everything time-dependent in the peer
/// — retransmission, stabilisation, lifetimes, storage_time — reads this, never the system clock.
/// </summary>
public interface IScheduler
{
    DateTimeOffset Now { get; }

    /// <summary>Runs <paramref name="action"/> after <paramref name="delay"/>; disposing the result cancels it.</summary>
    IDisposable Schedule(TimeSpan delay, Action action);
}
