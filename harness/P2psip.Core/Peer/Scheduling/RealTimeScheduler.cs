using System.Collections.Concurrent;

namespace P2psip.Peer.Scheduling;

/// <summary>Wall-clock time for live peers; callbacks run on the thread pool.</summary>
public sealed class RealTimeScheduler : IScheduler
{
    // A System.Threading.Timer nobody references can be collected before it fires: keep each one until it has.
    private readonly ConcurrentDictionary<Scheduled, byte> _active = new();

    public static RealTimeScheduler Instance { get; } = new();

    public DateTimeOffset Now => DateTimeOffset.UtcNow;

    public IDisposable Schedule(TimeSpan delay, Action action)
    {
        var scheduled = new Scheduled(this, action);
        _active[scheduled] = 0;
        scheduled.Start(delay < TimeSpan.Zero ? TimeSpan.Zero : delay);
        return scheduled;
    }

    private sealed class Scheduled(RealTimeScheduler owner, Action action) : IDisposable
    {
        private Timer? _timer;

        public void Start(TimeSpan delay) => _timer = new Timer(_ => Fire(), null, delay, Timeout.InfiniteTimeSpan);

        private void Fire()
        {
            if (!owner._active.TryRemove(this, out _)) return;
            _timer?.Dispose();
            action();
        }

        public void Dispose()
        {
            owner._active.TryRemove(this, out _);
            _timer?.Dispose();
        }
    }
}
