using P2psip.Peer.Chord;

namespace P2psip.Tests.Peer;

public class RingArithmeticTests
{
    private static RingId Id(ulong v) => new(v);
    private static RingId Top(ulong v) => new(UInt128.MaxValue - v);

    [Theory]
    [InlineData(5, 1, 10, true)]
    [InlineData(10, 1, 10, true)]   // (from, to] includes to
    [InlineData(1, 1, 10, false)]   // and excludes from
    [InlineData(11, 1, 10, false)]
    public void HalfOpenIntervals(ulong x, ulong from, ulong to, bool inside) =>
        Assert.Equal(inside, RingId.InHalfOpen(Id(x), Id(from), Id(to)));

    [Fact]
    public void IntervalsWrapAroundZero()
    {
        // §10.1: "all math is modulo 2^128".
        Assert.True(RingId.InHalfOpen(Id(3), Top(10), Id(5)));
        Assert.True(RingId.InHalfOpen(Top(2), Top(10), Id(5)));
        Assert.False(RingId.InHalfOpen(Id(6), Top(10), Id(5)));
        Assert.Equal((UInt128)16, Top(10).DistanceTo(Id(5)));
    }

    [Fact]
    public void APeerAloneIsResponsibleForEverything()
    {
        var table = new NeighborTable(Id(100), 3);
        Assert.True(table.Responsible.Contains(Id(5)));
        Assert.True(table.Responsible.Contains(Top(0)));
    }

    [Fact]
    public void NeighborTableKeepsTheClosestThreeEachWayAndNeverItself()
    {
        var table = new NeighborTable(Id(100), 3);
        table.Add([Id(100), Id(110), Id(120), Id(130), Id(140), Id(90), Id(80), Id(70), Id(60)]);
        Assert.Equal([Id(110), Id(120), Id(130)], table.Successors);
        Assert.Equal([Id(90), Id(80), Id(70)], table.Predecessors);
        // §10.1: responsible for (predecessor, self].
        Assert.True(table.Responsible.Contains(Id(95)));
        Assert.True(table.Responsible.Contains(Id(100)));
        Assert.False(table.Responsible.Contains(Id(90)));
        Assert.Equal([Id(105)], table.WouldAdmit([Id(105), Id(200), Id(110)]));
    }

    [Fact]
    public void RemovingANeighbourPullsInTheBestReplacement()
    {
        var table = new NeighborTable(Id(100), 3);
        table.Add([Id(110), Id(120), Id(130), Id(90)]);
        Assert.True(table.Remove(Id(110), [Id(150), Id(125)]));
        Assert.Equal([Id(120), Id(125), Id(130)], table.Successors);
    }

    [Fact]
    public void FingerEntriesHoldTheFirstPeerAtOrAfterTheirStart()
    {
        var self = Id(0);
        var fingers = new FingerTable(self, 16);
        var half = new RingId(UInt128.One << 127);
        fingers.Offer(half.Add(50));
        fingers.Offer(half.Add(10));
        fingers.Offer(half);
        Assert.Equal(half, fingers[1]);
        Assert.True(fingers.IsValid(1));
        Assert.Equal([half], fingers.Distinct);
        Assert.True(fingers.Remove(half));
        Assert.Null(fingers[1]);
    }

    [Fact]
    public void NextHopIsTheClosestPrecedingPeerElseTheFirstFollowing()
    {
        var table = new NeighborTable(Id(100), 3);
        table.Add([Id(110), Id(120), Id(90)]);
        var fingers = new FingerTable(Id(100), 16);
        fingers.Offer(Id(1000));
        var routing = new ChordRouting(table, fingers);
        // §10.3: the largest Node-ID in (self, k).
        Assert.Equal(Id(120), routing.NextHop(Id(500), _ => true));
        Assert.Equal(Id(1000), routing.NextHop(Id(5000), _ => true));
        // k in (self, first successor]: nothing precedes it, so the smallest Node-ID after k.
        Assert.Equal(Id(110), routing.NextHop(Id(105), _ => true));
        // Unreachable peers are skipped.
        Assert.Equal(Id(110), routing.NextHop(Id(500), id => id != Id(120)));
    }
}
