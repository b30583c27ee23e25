namespace P2psip.Peer.Transport;

/// <summary>
/// A token bucket for one linked Node-ID (§10.7.2, UN-5): topology requests (Join, Leave, Update)
/// spend a token each; tokens come back at <see cref="PerSecond"/> on the peer's scheduler clock,
/// up to <see cref="Burst"/> (<see cref="PeerOptions.TopologyRequestsPerSecond"/>, <see cref="PeerOptions.TopologyRequestBurst"/>).
/// A request that finds the bucket empty is dropped.
/// </summary>
internal sealed class LinkRateLimit
{
    private double _tokens;
    private DateTimeOffset _last;

    public LinkRateLimit(DateTimeOffset now, double perSecond, double burst)
    {
        _last = now;
        PerSecond = perSecond;
        Burst = burst;
        _tokens = burst;
    }

    public double PerSecond { get; }
    public double Burst { get; }

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
