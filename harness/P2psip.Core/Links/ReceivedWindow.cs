namespace P2psip.Links;

/// <summary>
/// The receiver's memory of the 32 most recent DATA sequence numbers, from which each ACK's
/// received bitmask is made (§6.6.2): for a packet N, bit N-M is set for each of the 32 packets
/// received before it whose sequence M satisfies N-32 &lt; M &lt; N.
/// </summary>
public sealed class ReceivedWindow
{
    private readonly uint[] _recent = new uint[32];
    private int _count, _next;

    /// <summary>Records sequence <paramref name="n"/> and returns the bitmask for its ACK.</summary>
    public uint Add(uint n)
    {
        uint mask = 0;
        lock (_recent)
        {
            for (int i = 0; i < _count; i++)
            {
                uint m = _recent[i];
                uint distance = n - m; // wraps like the sequence space
                if (distance is > 0 and < 32) mask |= 1u << (int)distance;
            }
            _recent[_next] = n;
            _next = (_next + 1) % _recent.Length;
            if (_count < _recent.Length) _count++;
        }
        return mask;
    }

    /// <summary>The sequence numbers an ACK reports as received: its own and those its bitmask marks.</summary>
    public static IEnumerable<uint> Acknowledged(uint ackSequence, uint received)
    {
        yield return ackSequence;
        for (int bit = 1; bit < 32; bit++)
            if ((received & (1u << bit)) != 0) yield return ackSequence - (uint)bit;
    }
}
