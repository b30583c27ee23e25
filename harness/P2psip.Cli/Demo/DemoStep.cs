namespace P2psip.Cli.Demo;

/// <summary>The outcome of one step of the demonstration, with the evidence it printed.</summary>
internal sealed record DemoStep(string Name, bool Passed, IReadOnlyList<string> Evidence)
{
    public static DemoStep Pass(string name, params string[] evidence) => new(name, true, evidence);
    public static DemoStep Fail(string name, params string[] evidence) => new(name, false, evidence);
}
