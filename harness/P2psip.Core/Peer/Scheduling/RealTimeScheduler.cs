namespace P2psip.Peer.Scheduling;

/// <summary>Wall-clock time for live peers; callbacks run on the thread pool.</summary>
public sealed class RealTimeScheduler : IScheduler
{
    public static RealTimeScheduler Instance { get; } = new();

    public DateTimeOffset Now => DateTimeOffset.UtcNow;

    public IDisposable Schedule(TimeSpan delay, Action action) =>
        new Timer(_ => action(), null, delay < TimeSpan.Zero ? TimeSpan.Zero : delay, Timeout.InfiniteTimeSpan);
}
