using P2psip.Peer.Chord;
using P2psip.Peer.Storage;
using P2psip.Wire;

namespace P2psip.Tests.PeerDefects;

/// <summary>
/// Issue 11, defect 1 (second half, §10.4, §10.5, §10.9): a replica Store is plausible only from a
/// neighbour and only for a Resource-ID that a predecessor replicates to this peer or hands over,
/// i.e. within (third predecessor, self]; not any value from any neighbour.
/// </summary>
public class ReplicaPlausibilityTests
{
    private static Opaque Id(ulong v) => new RingId(v).ToOpaque();

    private static ChordStorageResponsibility At1000()
    {
        var r = new ChordStorageResponsibility();
        r.Update(new ResourceRange(new RingId(900), new RingId(1000)), [Id(900), Id(800), Id(700)], [Id(1100), Id(1200)]);
        return r;
    }

    [Theory]
    [InlineData(950ul, 900ul, true)]    // our own range, from the predecessor (it left, or handed over)
    [InlineData(950ul, 1100ul, true)]   // our own range, from the successor that admitted us (§10.5 step 6)
    [InlineData(850ul, 900ul, true)]    // the first predecessor's range: we are its first replica
    [InlineData(750ul, 800ul, true)]    // the second predecessor's range: we are its second replica
    [InlineData(650ul, 900ul, false)]   // beyond the third predecessor: nobody replicates that here
    [InlineData(1050ul, 1100ul, false)] // the successor's own range: it replicates forward, not back
    [InlineData(950ul, 5000ul, false)]  // not a neighbour
    public void AReplicaMustBeForARangeThisPeerReplicates(ulong resource, ulong sender, bool accepted) =>
        Assert.Equal(accepted, At1000().AcceptsReplicaFrom(Id(resource), Id(sender)));

    [Fact]
    public void InASmallRingEveryNeighbourIsPlausible()
    {
        var r = new ChordStorageResponsibility();
        r.Update(new ResourceRange(new RingId(900), new RingId(1000)), [Id(900)], [Id(900)]);
        Assert.True(r.AcceptsReplicaFrom(Id(5), Id(900)));
        Assert.False(r.AcceptsReplicaFrom(Id(5), Id(7)));
    }
}
