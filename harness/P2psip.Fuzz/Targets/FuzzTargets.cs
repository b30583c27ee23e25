namespace P2psip.Fuzz.Targets;

/// <summary>The targets by name, as <c>run-fuzz.ps1 -Target</c> and the regression tests name them.</summary>
public static class FuzzTargets
{
    public static IReadOnlyList<IFuzzTarget> All { get; } =
        [new DecodeTarget(), new FramingTarget(), new PeerTarget(resign: false), new PeerTarget(resign: true), new SelfTestCrashTarget()];

    public static IFuzzTarget? Find(string name) =>
        All.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase));
}
