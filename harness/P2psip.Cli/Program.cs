using System.CommandLine;
using P2psip.Cli;
using P2psip.Cli.Commands;

// Each verb lives in Commands/ as a static class with Create(); add new verbs to this list.
var root = new RootCommand("p2psip: conformance and fuzzing harness for RELOAD (RFC 6940) P2PSIP peers");
foreach (var command in CommandCatalog.All())
    root.Subcommands.Add(command);

var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    foreach (var error in parsed.Errors)
        Console.Error.WriteLine($"p2psip: {error.Message}");
    Console.Error.WriteLine("p2psip: try 'p2psip --help'");
    return ExitCodes.UsageOrIo;
}

try
{
    return await parsed.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (CliError e)
{
    Console.Error.WriteLine($"p2psip: {e.Message}");
    return e.ExitCode;
}
