using System.CommandLine;
using System.Diagnostics;
using P2psip.Cli;
using P2psip.Tests.Capture;

namespace P2psip.Tests.Cli;

/// <summary>
/// The CLI's error boundary, its output files in the places a matrix row cannot show (a FIFO with a
/// reader, a full standard output), and the version line (issue 14, findings 1, 2 and 8).
/// </summary>
public class CliBoundaryTests
{
    [Fact]
    public async Task An_unexpected_exception_is_one_line_naming_the_verb_with_exit_70()
    {
        static Command Explode()
        {
            var verb = new Command("explode", "fails on purpose");
            verb.SetAction(new Func<ParseResult, int>(_ => throw new InvalidOperationException("the widget is null")));
            return verb;
        }
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = await CliProgram.RunAsync(["explode"], [Explode()], output, error);
        Assert.Equal(ExitCodes.InternalError, exit);
        Assert.Equal(["p2psip explode: internal error: the widget is null; this is a bug; rerun with --verbose for the trace"], CliRunner.Lines(error.ToString()));

        error = new StringWriter();
        exit = await CliProgram.RunAsync(["explode", "--verbose"], [Explode()], output, error);
        Assert.Equal(70, exit);
        Assert.True(error.ToString().Contains("   at ", StringComparison.Ordinal), error.ToString());
    }

    [Fact]
    public async Task A_user_error_is_one_line_with_its_exit_status()
    {
        var verb = new Command("refuse", "refuses");
        verb.SetAction(new Func<ParseResult, int>(_ => throw new CliError("x.bin: no such file")));
        var error = new StringWriter();
        Assert.Equal(2, await CliProgram.RunAsync(["refuse"], [verb], new StringWriter(), error));
        Assert.Equal(["p2psip: x.bin: no such file"], CliRunner.Lines(error.ToString()));
    }

    [Fact]
    public void A_parse_error_is_one_line_without_a_dotnet_type_name()
    {
        var (exit, _, error) = CliRunner.Run(CliRunner.NewDirectory(), "decode", "--pcap", "x.pcap", "--port", "abc");
        Assert.Equal(2, exit);
        var line = Assert.Single(CliRunner.Lines(error));
        Assert.DoesNotContain("System.", line, StringComparison.Ordinal);
        Assert.Contains("'p2psip decode --help'", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_to_a_full_standard_output_is_one_line_exit_2()
    {
        using var workspace = new BadInputWorkspace();
        var (exit, _, error) = ExternalTool.Run("bash", ["-c", $"exec '{CliRunner.Dotnet}' '{CliRunner.Program}' decode good.bin > /dev/full"], TimeSpan.FromMinutes(1), workspace.Directory);
        Assert.Equal(2, exit);
        Assert.Equal(["p2psip: standard output: cannot write: no space left on device"], CliRunner.Lines(error));
    }

    [Fact]
    public void Pcap_write_to_a_fifo_writes_into_it_and_leaves_it_a_fifo()
    {
        using var workspace = new BadInputWorkspace();
        using var reader = Process.Start(new ProcessStartInfo("bash", ["-c", "cat fifo > fifo.out"]) { WorkingDirectory = workspace.Directory })!;
        var (exit, output, error) = CliRunner.Run(workspace.Directory, "pcap", "write", "--out", "fifo", "good.bin");
        Assert.True(exit == 0, error);
        Assert.True(reader.WaitForExit(30_000));
        Assert.Equal(P2psip.Cli.Files.FileKindName.Fifo, P2psip.Cli.Files.FileKind.Of(Path.Combine(workspace.Directory, "fifo")).Name);
        var records = P2psip.Capture.PcapReloadReader.ReadAll(Path.Combine(workspace.Directory, "fifo.out"));
        Assert.Equal(CaptureSamples.ErrorMessage(), Assert.IsType<P2psip.Framing.DataFrame>(records[0].Frame).Message.ToArray());
        Assert.StartsWith("wrote 1 message", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_reads_a_fifo_as_cat_would()
    {
        using var workspace = new BadInputWorkspace();
        using var writer = Process.Start(new ProcessStartInfo("bash", ["-c", "cat good.bin > fifo"]) { WorkingDirectory = workspace.Directory })!;
        var (exit, output, error) = CliRunner.Run(workspace.Directory, "decode", "fifo");
        Assert.True(exit == 0, error);
        Assert.StartsWith("== fifo: error", output, StringComparison.Ordinal);
        Assert.True(writer.WaitForExit(30_000));
    }

    [Fact]
    public void Pcap_write_through_a_symlink_writes_the_file_it_names()
    {
        using var workspace = new BadInputWorkspace();
        File.CreateSymbolicLink(Path.Combine(workspace.Directory, "out.pcap"), "real.pcap");
        var (exit, _, error) = CliRunner.Run(workspace.Directory, "pcap", "write", "--out", "out.pcap", "good.bin");
        Assert.True(exit == 0, error);
        Assert.Equal("real.pcap", new FileInfo(Path.Combine(workspace.Directory, "out.pcap")).LinkTarget);
        Assert.Single(P2psip.Capture.PcapReloadReader.ReadAll(Path.Combine(workspace.Directory, "real.pcap")), r => r.Frame is P2psip.Framing.DataFrame);
    }

    [Fact]
    public void Version_prints_the_version_and_the_commit()
    {
        var (exit, output, error) = CliRunner.Run(CliRunner.NewDirectory(), "--version");
        Assert.Equal(0, exit);
        Assert.Equal("", error);
        var line = Assert.Single(CliRunner.Lines(output));
        Assert.Matches(@"^p2psip \d+\.\d+\.\d+ \(commit ([0-9a-f]{40}|unknown)\)$", line);
        Assert.Equal(BuildInfo.VersionLine, line);
    }
}
