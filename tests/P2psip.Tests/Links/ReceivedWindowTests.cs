using P2psip.Links;

namespace P2psip.Tests.Links;

/// <summary>The ACK's received bitmask (§6.6.2): bit N-M set for each of the last 32 received M with N-32 &lt; M &lt; N.</summary>
public class ReceivedWindowTests
{
    [Theory]
    [InlineData("First", new uint[] { }, 0u, 0x0000_0000u)]
    [InlineData("InOrder", new uint[] { 0, 1, 2 }, 3u, 0x0000_000Eu)]          // bits 1,2,3
    [InlineData("Gap", new uint[] { 0, 2 }, 3u, 0x0000_000Au)]                   // bits 1 (2) and 3 (0)
    [InlineData("TooOld", new uint[] { 0, 40 }, 41u, 0x0000_0002u)]              // 0 is not > 41-32
    [InlineData("Edge31", new uint[] { 10 }, 41u, 0x8000_0000u)]                 // 41-10 = 31
    [InlineData("Edge32", new uint[] { 9 }, 41u, 0x0000_0000u)]                  // 41-9 = 32, not < 32
    [InlineData("Later", new uint[] { 5 }, 3u, 0x0000_0000u)]                    // M > N is not set
    [InlineData("Wraps", new uint[] { 0xFFFF_FFFF }, 1u, 0x0000_0004u)]          // 1 - (2^32-1) = 2 mod 2^32
    public void Bitmask(string label, uint[] before, uint n, uint expected)
    {
        var window = new ReceivedWindow();
        foreach (var m in before) window.Add(m);
        Assert.True(expected == window.Add(n), label);
    }

    [Fact]
    public void Only_the_32_most_recent_count()
    {
        var window = new ReceivedWindow();
        for (uint m = 0; m < 40; m++) window.Add(m);
        // 40 packets seen; the window holds 8..39, all within 31 of 40 except 8 (distance 32).
        Assert.Equal(0xFFFF_FFFEu, window.Add(40));
    }

    [Fact]
    public void An_ack_acknowledges_its_sequence_and_the_bits_set() =>
        Assert.Equal([10u, 9u, 7u], ReceivedWindow.Acknowledged(10, 0b1010));
}
