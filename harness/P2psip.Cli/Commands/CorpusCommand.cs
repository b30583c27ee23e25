using System.CommandLine;
using P2psip.Corpus;

namespace P2psip.Cli.Commands;

/// <summary>
/// <c>p2psip corpus write DIR</c>: writes the seed corpus, one file per seed (<c>DIR/&lt;name&gt;.bin</c>:
/// a raw RELOAD message, or for <c>ack.bin</c> a framed ACK), each file whole or not at all.
/// </summary>
internal static class CorpusCommand
{
    public static Command Create()
    {
        var directory = new Argument<string>("dir") { Description = "The folder to write the seeds into (created if missing)" };
        var write = new Command("write", "Write one file per seed message into a folder");
        write.Arguments.Add(directory);
        write.SetAction(parseResult => Write(parseResult.GetValue(directory)!, parseResult.InvocationConfiguration.Output));

        var command = new Command("corpus", "The fuzzing seed corpus");
        command.Subcommands.Add(write);
        return command;
    }

    internal static int Write(string directory, TextWriter output)
    {
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new CliError($"{directory}: cannot create the folder: {e.Message}");
        }
        var seeds = SeedCorpus.Files();
        foreach (var (name, bytes) in seeds)
            AtomicFile.WriteAllBytes(Path.Combine(directory, name + ".bin"), bytes);
        output.WriteLine($"wrote {seeds.Count} seed files to {directory}");
        return ExitCodes.Ok;
    }
}
