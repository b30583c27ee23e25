using System.Diagnostics;
using P2psip.Capture;
using P2psip.Cli.Files;
using P2psip.Corpus;
using P2psip.Framing;
using P2psip.Messages;

namespace P2psip.Cli.Demo;

/// <summary>
/// Capture: the seed messages as a framed TCP flow to port 6084 in a pcap, read back by the harness,
/// and — when tshark is installed — decoded independently by Wireshark's RELOAD dissector.
/// </summary>
internal static class CaptureDemo
{
    /// <summary>Stages <paramref name="pcapPath"/> in <paramref name="outputs"/> and reads it back; returns the staged file's path in <paramref name="staged"/>.</summary>
    public static DemoStep WriteAndReadBack(string pcapPath, OutputSet outputs, out string staged, out int frames)
    {
        var seeds = SeedCorpus.All();
        staged = outputs.Add(pcapPath, temp =>
        {
            using var writer = new PcapCaptureWriter(temp);
            var flow = writer.OpenTcpFlow();
            foreach (var (_, bytes) in seeds)
            {
                var direction = MessageCodes.IsAnswer(ReloadCodec.Decode(bytes).GetValueOrThrow().MessageCode) || bytes.Length == 0
                    ? FlowDirection.ToClient : FlowDirection.ToServer;
                flow.SendMessage(bytes, direction);
                flow.SendAck(direction == FlowDirection.ToServer ? FlowDirection.ToClient : FlowDirection.ToServer);
            }
        });
        var records = PcapReloadReader.ReadAll(staged);
        frames = records.Count(r => r.Frame is DataFrame);
        int valid = records.Count(r => r.Frame is DataFrame d && ReloadCodec.Decode(d.Message.Memory).IsSuccess);
        int acks = records.Count(r => r.Frame is AckFrame);
        bool ok = valid == seeds.Count && frames == seeds.Count && records.All(r => r.IsValid);
        return new DemoStep("capture: pcap written and read back", ok,
            [$"{pcapPath}: {seeds.Count} DATA frames and {acks} ACK frames over TCP to port 6084; read back {valid} valid RELOAD messages"]);
    }

    public static DemoStep CrossCheckWithTshark(string pcapPath, int expectedFrames)
    {
        ProcessStartInfo psi = new("tshark", ["-r", pcapPath, "-T", "fields", "-e", "reload.message.code", "-Y", "reload"])
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        };
        Process? process;
        try { process = Process.Start(psi); }
        catch (System.ComponentModel.Win32Exception)
        {
            return DemoStep.Fail("capture: tshark cross-check", "tshark is not installed (bash .ci/setup installs it)");
        }
        using (process)
        {
            var output = process!.StandardOutput.ReadToEnd();
            process.WaitForExit();
            var codes = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.Trim().Length > 0).ToList();
            bool ok = process.ExitCode == 0 && codes.Count == expectedFrames;
            return new DemoStep("capture: tshark decodes every frame independently", ok,
                [$"tshark found reload.message.code in {codes.Count} of {expectedFrames} DATA frames (exit {process.ExitCode})"]);
        }
    }
}
