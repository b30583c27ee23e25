using P2psip.Capture;

namespace P2psip.Cli.Commands;

/// <summary><c>--capture FILE</c> of the live verbs: a streamed pcap of the decrypted messages on their links.</summary>
internal static class CaptureOption
{
    public static PcapStreamWriter Open(string path)
    {
        try { return PcapStreamWriter.Create(path); }
        catch (CaptureFileException e) { throw new CliError($"--capture {e.Message}"); }
    }
}
