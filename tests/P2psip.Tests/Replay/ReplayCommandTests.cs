using P2psip.Tests.Cli;

namespace P2psip.Tests.Replay;

/// <summary><c>p2psip replay</c> on bad input: one line naming the file, exit 2, no stack trace, nothing started.</summary>
public class ReplayCommandTests
{
    [Theory]
    [InlineData("empty")]
    [InlineData("not-pcap")]
    [InlineData("truncated")]
    [InlineData("no-requests")]
    [InlineData("missing")]
    public void Bad_captures_give_one_line_and_exit_2(string kind)
    {
        var directory = CliRunner.NewDirectory();
        var path = Path.Combine(directory, kind + ".pcap");
        switch (kind)
        {
            case "empty": File.WriteAllBytes(path, []); break;
            case "not-pcap": File.WriteAllText(path, "this is a text file, not a capture\n"); break;
            case "truncated":
                // A valid header and the first half of a packet record.
                var header = new byte[24 + 10];
                BitConverter.GetBytes(0xa1b2c3d4u).CopyTo(header, 0);
                BitConverter.GetBytes((ushort)2).CopyTo(header, 4);
                BitConverter.GetBytes((ushort)4).CopyTo(header, 6);
                BitConverter.GetBytes(65535u).CopyTo(header, 16);
                BitConverter.GetBytes(1u).CopyTo(header, 20);
                File.WriteAllBytes(path, header);
                break;
            case "no-requests":
                using (new P2psip.Capture.PcapStreamWriter(File.Create(path), ownsStream: true)) { }
                break;
        }
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
