using System.Diagnostics;
using System.Text.RegularExpressions;
using P2psip.Tests.Capture;
using P2psip.Tests.Cli;
using Xunit.Abstractions;

namespace P2psip.Tests.Replay;

/// <summary>
/// Issue 9, live wire capture: <c>certify --sut HOST:PORT --wire-capture lo --keylog FILE</c> records
/// the real, encrypted wire to the SUT with SharpPcap, filtered to its address and port; tshark with
/// the key log decrypts it and shows the RELOAD messages inside (and without the key log, none).
/// An interface that is not there is one line and the run goes on (skipped only where this machine
/// has no capture rights, and the test says so).
/// </summary>
[Trait("Category", TestCategory.ExternalTool)]
[Trait("Category", "Live")]
public class WireCaptureTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Certify_captures_the_wire_to_an_external_SUT_and_tshark_decrypts_it_with_the_key_log()
    {
        var root = CliRunner.NewDirectory();
        var lab = Path.Combine(root, "lab");
        var init = CliRunner.Run(root, "certify", "init", "--dir", lab, "--seed", "3");
        Assert.True(init.ExitCode == 0, init.Error);
        var start = new ProcessStartInfo(CliRunner.Dotnet) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = root };
        foreach (var a in new[] { CliRunner.Program, "peer", "--overlay", lab, "--identity", Path.Combine(lab, "sut"), "--listen", "127.0.0.1:0", "--first" })
            start.ArgumentList.Add(a);
        using var peer = Process.Start(start)!;
        var running = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        peer.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line && Regex.Match(line, @" on (127\.0\.0\.1:\d+) over ") is { Success: true } m) running.TrySetResult(m.Groups[1].Value);
        };
        peer.BeginOutputReadLine();
        peer.BeginErrorReadLine();
        try
        {
            var sut = await running.Task.WaitAsync(TimeSpan.FromSeconds(60));
            var port = int.Parse(sut.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture);
            var outDir = Path.Combine(root, "out");
            var keys = Path.Combine(root, "keys.txt");
            var run = CliRunner.Run(root, "certify", "--lab", lab, "--sut", sut, "--case", "PC-10-01", "PC-10-06", "--seed", "3",
                "--wire-capture", "lo", "--keylog", keys, "--out", outDir);
            output.WriteLine(run.Output + run.Error);
            Assert.True(run.ExitCode == 0, run.Output + run.Error);
            if (run.Output.Contains("no wire capture on lo", StringComparison.Ordinal))
            {
                output.WriteLine("SKIPPED: no capture rights on lo on this machine: " + run.Output);
                return;
            }
            Assert.Contains("capturing lo (host 127.0.0.1 and port", run.Output);
            var wire = Path.Combine(outDir, "wire.pcap");
            Assert.True(new FileInfo(wire).Length > 24, "the wire capture is empty");

            var layer = $"tcp.port=={port},tls";
            var codes = DecryptedReload.MessageCodes(wire, port, layer, keys, root);
            output.WriteLine($"decrypted message codes: {string.Join(' ', codes)}");
            Assert.NotEmpty(codes);
            Assert.Empty(DecryptedReload.MessageCodes(wire, port, layer, keyLog: null, root));

            // No such interface: one line, and the run goes on without the capture.
            var missing = CliRunner.Run(root, "certify", "--lab", lab, "--sut", sut, "--case", "PC-10-01", "--seed", "3",
                "--wire-capture", "no-such-if0", "--out", Path.Combine(root, "out2"));
            Assert.True(missing.ExitCode == 0, missing.Output + missing.Error);
            Assert.Single(CliRunner.Lines(missing.Output), l => l.Contains("no wire capture: no interface 'no-such-if0'", StringComparison.Ordinal));
            Assert.False(File.Exists(Path.Combine(root, "out2", "wire.pcap")));
        }
        finally
        {
            if (!peer.HasExited) peer.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public void Wire_capture_without_an_external_SUT_is_a_usage_error_in_one_line()
    {
        var root = CliRunner.NewDirectory();
        var run = CliRunner.Run(root, "certify", "--wire-capture", "lo", "--out", Path.Combine(root, "out"));
        Assert.Equal(2, run.ExitCode);
        Assert.Single(CliRunner.ProblemLines(run.Error));
        Assert.Contains("--wire-capture needs --sut", run.Error);
        Assert.False(Directory.Exists(Path.Combine(root, "out")));
    }
}
