using System.CommandLine;

namespace P2psip.Cli.Commands;

/// <summary>The verbs of the CLI. Each verb is a static class in this folder with <c>public static Command Create()</c>.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> All()
    {
        yield return DecodeCommand.Create();
        yield return PcapCommand.Create();
        yield return CorpusCommand.Create();
        yield return DemoCommand.Create();
        yield return OverlayCommand.Create();
        yield return EnrollCommand.Create();
        yield return SimCommand.Create();
        yield return PeerCommand.Create();
        yield return SipCommand.Create();
        yield return CertifyCommand.Create();
        yield return ScenarioCommand.Create();
        yield return ProxyCommand.Create();
        yield return ReplayCommand.Create();
        yield return FuzzCommand.Create();
    }
}
