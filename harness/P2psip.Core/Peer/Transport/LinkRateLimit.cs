namespace P2psip.Peer.Transport;

/// <summary>
/// A token bucket for one linked Node-ID (§10.7.2, UN-5): topology requests (Join, Leave, Update)
/// spend a token each; tokens come back at <see cref="PerSecond"/> on the peer's scheduler clock,
/// up to <see cref="Burst"/> (<see cref="PeerOptions.TopologyRequestsPerSecond"/>, <see cref="PeerOptions.TopologyRequestBurst"/>).
/// A request that finds the bucket empty is dropped.
/// </summary>
internal sealed class LinkRateLimit(DateTimeOffset now, double perSecond, double burst)
{
    private double _tokens = burst;
    private DateTimeOffset _last = now;

    public double PerSecond { get; } = perSecond;
    public double Burst { get; } = burst;

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
