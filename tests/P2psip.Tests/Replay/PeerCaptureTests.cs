using System.Diagnostics;
using P2psip.Security;
using P2psip.Tests.Capture;
using P2psip.Tests.Cli;

namespace P2psip.Tests.Replay;

/// <summary><c>p2psip peer --capture FILE</c>: what crosses the peer's links, decrypted, in a pcap that decode and tshark read.</summary>
[Trait("Category", "Live")]
public class PeerCaptureTests
{
    private static async Task<string> RunPeerWithCaptureAsync() => Path.Combine((await RunPeerAsync("127.0.0.1:0", ["--capture", "peer.pcap"])).Root, "peer.pcap");

    /// <summary>
    /// Runs <c>p2psip peer --first</c> in a new directory with <paramref name="extra"/> options,
    /// registers Alice's AOR through it with <c>sip register</c>, and stops it with SIGTERM.
    /// </summary>
    internal static async Task<(string Root, string Address)> RunPeerAsync(string listen, string[] extra, string transport = "tls")
    {
        var root = CliRunner.NewDirectory();
        var overlay = Path.Combine(root, "overlay");
        Directory.CreateDirectory(overlay);
        var (ca, _) = OverlayDirectory.Init(overlay, "capture.test");
        string Save(string name)
        {
            var keys = KeyPairs.Generate(KeyAlgorithm.EcdsaP256);
            var directory = Path.Combine(root, name);
            Directory.CreateDirectory(directory);
            new Identity(keys, ca.Issue(keys.Public, $"{name}@capture.test", [Guid.NewGuid().ToByteArray()], DateTime.UtcNow.AddDays(-1), DateTime.UtcNow.AddDays(30))).Save(directory);
            return directory;
        }
        var peerIdentity = Save("peer1");
        var alice = Save("alice");
        var start = new ProcessStartInfo(CliRunner.Dotnet) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = root };
        foreach (var a in new[] { CliRunner.Program, "peer", "--overlay", overlay, "--identity", peerIdentity, "--listen", listen, "--first", "--transport", transport }.Concat(extra))
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var lines = new List<string>();
        var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (lines) lines.Add(e.Data);
            if (e.Data.Contains("running;", StringComparison.Ordinal)) running.TrySetResult();
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (lines) lines.Add("stderr: " + e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        string address;
        try
        {
            await running.Task.WaitAsync(TimeSpan.FromSeconds(60));
            lock (lines) address = lines.Select(l => System.Text.RegularExpressions.Regex.Match(l, @" on (127\.0\.0\.1:\d+) over ")).First(m => m.Success).Groups[1].Value;
            var register = CliRunner.Run(root, "sip", "register", "--overlay", overlay, "--identity", alice, "--bootstrap", address,
                "--aor", "alice@capture.test", "--contact", "sip:alice@127.0.0.1:5060", "--transport", transport);
            Assert.True(register.ExitCode == 0, register.Output + register.Error);
            // SIGTERM: the peer leaves and closes the capture.
            ExternalTool.Run("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        return (root, address);
    }

    [Fact]
    public async Task The_capture_of_a_peer_decodes_with_decode_pcap()
    {
        var capture = await RunPeerWithCaptureAsync();
        var (exit, summary, error) = CliRunner.Run(Path.GetDirectoryName(capture)!, "decode", "--pcap", capture, "--summary");
        Assert.True(exit == 0, summary + error);
        var messages = CliRunner.Lines(summary);
        Assert.Contains(messages, l => l.Contains(" attach_req ", StringComparison.Ordinal));
        Assert.Contains(messages, l => l.Contains(" store_req ", StringComparison.Ordinal));
        Assert.Contains(messages, l => l.Contains(" store_ans ", StringComparison.Ordinal));
    }

    [Fact]
    [Trait("Category", TestCategory.ExternalTool)]
    public async Task The_capture_of_a_peer_decodes_in_tshark_with_a_message_code_on_every_data_frame()
    {
        var capture = await RunPeerWithCaptureAsync();
        var (exit, output, error) = ExternalTool.Run("tshark", ["-r", capture, "-T", "fields", "-e", "reload_framing.type", "-e", "reload.message.code", "-e", "_ws.malformed",
            "-E", "aggregator=|", "-E", "occurrence=a"]);
        Assert.True(exit == 0, $"tshark exit {exit}: {error}");
        int data = 0;
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var f = line.TrimEnd('\r').Split('\t');
            int dataHere = f[0].Length == 0 ? 0 : f[0].Split('|').Count(t => t == "128");
            int codes = f[1].Length == 0 ? 0 : f[1].Split('|').Length;
            Assert.True(dataHere == codes, $"{dataHere} DATA frames, {codes} codes: {line}");
            Assert.True(f.Length < 3 || f[2].Length == 0, $"malformed: {line}");
            data += dataHere;
        }
        Assert.True(data >= 4, $"only {data} DATA frames:\n{output}");
    }
}
