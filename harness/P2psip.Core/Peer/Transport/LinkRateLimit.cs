namespace P2psip.Peer.Transport;

/// <summary>
/// A token bucket for one link (§10.7.2, UN-5): topology requests (Join, Leave, Update) spend a
/// token each; tokens come back at <see cref="PerSecond"/> on the peer's scheduler clock, up to
/// <see cref="Burst"/>. A request that finds the bucket empty is dropped.
/// </summary>
internal sealed class LinkRateLimit
{
    public const double PerSecond = 20;
    public const double Burst = 40;

    private double _tokens = Burst;
    private DateTimeOffset _last;

    public LinkRateLimit(DateTimeOffset now) => _last = now;

    public bool TryTake(DateTimeOffset now)
    {
        double elapsed = Math.Max(0, (now - _last).TotalSeconds);
        _last = now;
        _tokens = Math.Min(Burst, _tokens + elapsed * PerSecond);
        if (_tokens < 1) return false;
        _tokens--;
        return true;
    }
}
