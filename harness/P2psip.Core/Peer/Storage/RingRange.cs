using P2psip.Wire;

namespace P2psip.Peer.Storage;

/// <summary>
/// An arc of the identifier ring, (<see cref="After"/>, <see cref="Through"/>] clockwise: the range a
/// CHORD-RELOAD peer is responsible for is (predecessor, itself] (§10.1), the data handed to a joining
/// predecessor JN is (AP's old predecessor, JN] (§10.5 step 6). Identifiers compare as unsigned
/// big-endian numbers; equal ends mean the whole ring (a lone peer is responsible for everything).
/// </summary>
public sealed record RingRange(Opaque After, Opaque Through)
{
    public bool IsWholeRing => After == Through;

    public bool Contains(Opaque id)
    {
        if (IsWholeRing) return true;
        int afterVsThrough = RingOrder.Compare(After, Through);
        bool aboveAfter = RingOrder.Compare(id, After) > 0;
        bool atOrBelowThrough = RingOrder.Compare(id, Through) <= 0;
        // Without wrap-around the arc is one interval; with it, the union of the two ends of the ring.
        return afterVsThrough < 0 ? aboveAfter && atOrBelowThrough : aboveAfter || atOrBelowThrough;
    }

    public override string ToString() => $"({After.ToHex()}, {Through.ToHex()}]";
}

/// <summary>Identifiers as unsigned big-endian numbers of the ring (§10.1).</summary>
public static class RingOrder
{
    /// <summary>Compares two identifiers numerically; a shorter one is padded with leading zeros.</summary>
    public static int Compare(Opaque a, Opaque b)
    {
        var x = a.Span;
        var y = b.Span;
        int length = Math.Max(x.Length, y.Length);
        for (int i = 0; i < length; i++)
        {
            int xi = i - (length - x.Length), yi = i - (length - y.Length);
            int bx = xi >= 0 ? x[xi] : 0, by = yi >= 0 ? y[yi] : 0;
            if (bx != by) return bx.CompareTo(by);
        }
        return 0;
    }

    /// <summary>
    /// The clockwise distance from <paramref name="from"/> to <paramref name="to"/> (to − from mod 2^bits),
    /// as a big-endian byte array of the longer length: the measure Find uses for "closest" (§7.4.4).
    /// </summary>
    public static byte[] ClockwiseDistance(Opaque from, Opaque to)
    {
        int length = Math.Max(from.Length, to.Length);
        var result = new byte[length];
        int borrow = 0;
        for (int i = length - 1; i >= 0; i--)
        {
            int ti = i - (length - to.Length), fi = i - (length - from.Length);
            int d = (ti >= 0 ? to.Span[ti] : 0) - (fi >= 0 ? from.Span[fi] : 0) - borrow;
            borrow = d < 0 ? 1 : 0;
            result[i] = (byte)(d + (borrow << 8));
        }
        return result;
    }
}
