using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using P2psip.Tests.Capture;
using Xunit.Abstractions;

namespace P2psip.Tests.Replay;

/// <summary>
/// <c>p2psip peer --keylog FILE</c>: a live capture of the peer's TLS or DTLS links on the loopback
/// interface (dumpcap), decrypted by tshark with the key log, shows the RELOAD messages inside; without
/// the key log it shows none. tshark 4.0's reload-framing dissector is not offered for decrypted TLS
/// (it is a heuristic on DTLS), so a one-line Lua script puts it on the TLS port table for the peer's port.
/// </summary>
[Trait("Category", TestCategory.ExternalTool)]
[Trait("Category", "Live")]
public class KeyLogTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("tls")]
    [InlineData("dtls")]
    public async Task Tshark_decrypts_a_live_capture_with_the_key_log_and_shows_reload_message_codes(string transport)
    {
        var layer = transport == "tls" ? $"tcp.port==PORT,tls" : $"udp.port==PORT,dtls";
        int port;
        using (var probe = new Socket(AddressFamily.InterNetwork, transport == "tls" ? SocketType.Stream : SocketType.Dgram, transport == "tls" ? ProtocolType.Tcp : ProtocolType.Udp))
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            port = ((IPEndPoint)probe.LocalEndPoint!).Port;
        }
        layer = layer.Replace("PORT", port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        var directory = Cli.CliRunner.NewDirectory();
        var wire = Path.Combine(directory, "wire.pcapng");
        var start = new ProcessStartInfo("dumpcap") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { "-i", "lo", "-f", $"port {port}", "-w", wire, "-q" }) start.ArgumentList.Add(a);
        Process dumpcap;
        try { dumpcap = Process.Start(start)!; }
        catch (System.ComponentModel.Win32Exception e)
        {
            output.WriteLine($"SKIPPED: dumpcap cannot be started ({e.Message}); install wireshark's dumpcap to run this test");
            return;
        }
        string root;
        using (dumpcap)
        {
            // dumpcap creates the file once it captures; without capture rights it exits with a message instead.
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (!File.Exists(wire) && !dumpcap.HasExited && DateTime.UtcNow < deadline) await Task.Delay(50);
            if (dumpcap.HasExited)
            {
                output.WriteLine($"SKIPPED: no capture rights on lo: {(await dumpcap.StandardError.ReadToEndAsync()).Trim()}");
                return;
            }
            Assert.True(File.Exists(wire), "dumpcap did not start capturing within 20 s");
            try
            {
                (root, _) = await PeerCaptureTests.RunPeerAsync($"127.0.0.1:{port}", ["--keylog", "keys.txt"], transport);
            }
            finally
            {
                // SIGTERM: dumpcap writes what it has and exits.
                ExternalTool.Run("kill", ["-TERM", dumpcap.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
                await dumpcap.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            }
        }
        var keys = Path.Combine(root, "keys.txt");
        var keyLines = File.ReadAllLines(keys);
        Assert.Contains(keyLines, l => l.StartsWith("CLIENT_TRAFFIC_SECRET_0 ", StringComparison.Ordinal) || l.StartsWith("CLIENT_RANDOM ", StringComparison.Ordinal));

        var codes = DecryptedReload.MessageCodes(wire, port, layer, keys, directory);
        output.WriteLine($"decrypted message codes: {string.Join(' ', codes)}");
        // RELOAD read out of the encrypted link. Which messages depends on the moment dumpcap stops
        // (the registration's own link was sometimes not in the capture on a loaded machine), so any
        // decrypted message code proves the key log works; below, none without it.
        Assert.NotEmpty(codes);

        // Without the key log the same capture shows no RELOAD: the links really were encrypted.
        Assert.Empty(DecryptedReload.MessageCodes(wire, port, layer, keyLog: null, directory));
    }
}
