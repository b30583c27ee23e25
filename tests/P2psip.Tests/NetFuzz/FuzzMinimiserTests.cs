using P2psip.NetFuzz;

namespace P2psip.Tests.NetFuzz;

/// <summary>Minimisation, stage 1: the shortest tail of preceding cases, found with few trials.</summary>
public sealed class FuzzMinimiserTests
{
    [Theory]
    [InlineData(64, 1)]
    [InlineData(64, 5)]
    [InlineData(64, 33)]
    [InlineData(64, 64)]
    [InlineData(7, 6)]
    [InlineData(1, 1)]
    public async Task ShortestTailIsFoundWithFewTrials(int available, int needed)
    {
        var tried = new List<int>();
        var shortest = await FuzzMinimiser.ShortestTailAsync(available, n => { tried.Add(n); return Task.FromResult(n >= needed); });
        Assert.Equal(needed, shortest);
        Assert.All(tried, n => Assert.InRange(n, 1, available));
        Assert.True(tried.Count <= 2 * Math.Ceiling(Math.Log2(available + 1)) + 1, $"{tried.Count} trials: {string.Join(",", tried)}");
    }

    [Fact]
    public async Task NoTailThatFailsIsNull()
    {
        Assert.Null(await FuzzMinimiser.ShortestTailAsync(20, _ => Task.FromResult(false)));
        Assert.Null(await FuzzMinimiser.ShortestTailAsync(0, _ => Task.FromResult(true)));
    }
}
