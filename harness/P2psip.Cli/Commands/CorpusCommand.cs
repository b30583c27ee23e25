using System.CommandLine;
using P2psip.Cli.Files;
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
        using var outputs = new OutputSet();
        int count = Stage(directory, outputs);
        outputs.Commit();
        output.WriteLine($"wrote {count} seed files to {directory}");
        return ExitCodes.Ok;
    }

    /// <summary>Adds every seed file to <paramref name="outputs"/>: all of them appear on commit, or none.</summary>
    internal static int Stage(string directory, OutputSet outputs)
    {
        outputs.CreateDirectory(directory);
        var seeds = SeedCorpus.Files();
        foreach (var (name, _) in seeds) outputs.Check(Path.Combine(directory, name + ".bin"));
        foreach (var (name, bytes) in seeds) outputs.AddBytes(Path.Combine(directory, name + ".bin"), bytes);
        return seeds.Count;
    }
}
