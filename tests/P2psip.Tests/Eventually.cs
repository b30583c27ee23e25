namespace P2psip.Tests;

/// <summary>
/// Waiting on a condition with a deadline instead of sleeping a fixed time: fast when the machine
/// is idle, still correct when it is loaded. Polls every 10 ms.
/// </summary>
internal static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);

    /// <summary>Returns as soon as <paramref name="condition"/> holds; fails the test naming <paramref name="what"/> at the deadline.</summary>
    public static async Task WaitUntil(Func<bool> condition, string what = "the condition", TimeSpan? timeout = null)
    {
        if (!await Holds(condition, timeout)) Assert.Fail($"timed out after {(timeout ?? DefaultTimeout).TotalSeconds:F0} s waiting for {what}");
    }

    /// <summary>Whether <paramref name="condition"/> came to hold before the deadline.</summary>
    public static async Task<bool> Holds(Func<bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (!condition())
        {
            if (DateTime.UtcNow >= deadline) return condition();
            await Task.Delay(10);
        }
        return true;
    }
}
