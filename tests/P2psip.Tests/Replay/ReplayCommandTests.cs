using P2psip.Tests.Cli;

namespace P2psip.Tests.Replay;

/// <summary><c>p2psip replay</c> on bad input: one line naming the file, exit 2, no stack trace, nothing started.</summary>
public class ReplayCommandTests
{
    [Theory]
    [MemberData(nameof(BadCaptures.Kinds), MemberType = typeof(BadCaptures))]
    public void Bad_captures_give_one_line_and_exit_2(string kind)
    {
        var directory = CliRunner.NewDirectory();
        var path = Path.Combine(directory, kind + ".pcap");
        BadCaptures.Write(kind, path);
        var (exit, output, error) = CliRunner.Run(directory, "replay", "--pcap", path, "--target", "embedded", "--as-fast-as-possible");
        Assert.Equal(2, exit);
        var lines = CliRunner.ProblemLines(error);
        Assert.True(lines.Length == 1, $"stderr: {error}");
        Assert.Contains(kind + ".pcap", lines[0]);
        Assert.DoesNotContain("   at ", error);
        Assert.Equal("", output);
    }

    [Fact]
    public void A_bad_rewrite_word_is_named()
    {
        var directory = CliRunner.NewDirectory();
        var (exit, _, error) = CliRunner.Run(directory, "replay", "--pcap", "x.pcap", "--target", "embedded", "--rewrite", "transaction-id,colour");
        Assert.Equal(2, exit);
        Assert.Contains("'colour'", Assert.Single(CliRunner.ProblemLines(error)));
    }
}

/// <summary><c>p2psip replay</c> end to end, as a user runs it.</summary>
[Trait("Category", "Live")]
public class ReplayCommandRunTests
{
    [Fact]
    public async Task Replay_onto_embedded_prints_each_answer_and_writes_a_capture_that_decode_reads()
    {
        var path = await ReplayTests.CaptureAgainstReferenceAsync();
        var directory = Path.GetDirectoryName(path)!;
        var (exit, output, error) = CliRunner.Run(directory, "replay", "--pcap", path, "--target", "embedded", "--as-fast-as-possible", "--out", "out");
        Assert.True(exit == 0, output + error);
        Assert.Contains("replayed 5 requests: 5 same, 0 different, 0 no answer", output);
        var recording = Path.Combine(directory, "out", "replay.pcap");
        var (decodeExit, summary, decodeError) = CliRunner.Run(directory, "decode", "--pcap", recording, "--summary");
        Assert.True(decodeExit == 0, summary + decodeError);
        Assert.Equal(10, CliRunner.Lines(summary).Count(l => l.EndsWith(" ok", StringComparison.Ordinal)));

        var (diffExit, diffOutput, _) = CliRunner.Run(directory, "replay", "--pcap", path, "--target", "embedded", "--disable", "access-control", "--speed", "4");
        Assert.Equal(1, diffExit);
        Assert.Contains("replayed 5 requests: 3 same, 2 different, 0 no answer", diffOutput);
    }
}
