using System.CommandLine;

namespace P2psip.Cli.Commands;

/// <summary>The verbs of the CLI. Each verb is a static class in this folder with <c>public static Command Create()</c>.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> All()
    {
        yield return SimCommand.Create();
    }
}
