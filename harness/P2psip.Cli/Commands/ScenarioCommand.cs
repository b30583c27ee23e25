using System.CommandLine;
using P2psip.Adversary;

namespace P2psip.Cli.Commands;

/// <summary>
/// <c>p2psip scenario check FILE</c>: loads an adversary scenario (YAML, checked against
/// schemas/scenario.schema.json) and prints it normalised (exit 0), or prints one line naming the
/// file, line and field (exit 2). <c>p2psip scenario schema</c> prints the JSON Schema;
/// <c>scenario run</c> and <c>scenario from-pcap</c> are <see cref="ScenarioRunCommand"/> and <see cref="ScenarioFromPcapCommand"/>.
/// </summary>
internal static class ScenarioCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "The scenario file (YAML)" };
        var check = new Command("check", "Check a scenario file and print it normalised");
        check.Arguments.Add(file);
        check.SetAction(parseResult => Check(parseResult.GetValue(file)!, parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error));

        var schema = new Command("schema", "Print the JSON Schema of scenario files");
        schema.SetAction(parseResult =>
        {
            parseResult.InvocationConfiguration.Output.Write(ScenarioSchema.Text);
            return ExitCodes.Ok;
        });

        var command = new Command("scenario", "Adversary scenarios: rules that drop, delay, mutate, replay and forge messages; steps to send and expect");
        command.Subcommands.Add(check);
        command.Subcommands.Add(schema);
        command.Subcommands.Add(ScenarioRunCommand.Create());
        command.Subcommands.Add(ScenarioFromPcapCommand.Create());
        return command;
    }

    internal static int Check(string path, TextWriter output, TextWriter error)
    {
        Scenario scenario;
        try
        {
            scenario = ScenarioFile.Load(path);
        }
        catch (ScenarioFileException e)
        {
            error.WriteLine(e.Message);
            return ExitCodes.UsageOrIo;
        }
        output.Write(ScenarioFile.Save(scenario));
        return ExitCodes.Ok;
    }
}
