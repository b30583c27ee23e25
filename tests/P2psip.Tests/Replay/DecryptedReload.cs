using P2psip.Tests.Capture;

namespace P2psip.Tests.Replay;

/// <summary>
/// The RELOAD message codes tshark finds in a wire capture of encrypted links to <c>port</c>, with a
/// key log or without one. tshark 4.0's reload-framing dissector is not offered for decrypted TLS (it
/// is a heuristic on DTLS), so a one-line Lua script puts it on the TLS port table for that port.
/// </summary>
internal static class DecryptedReload
{
    /// <param name="layer">tshark's decode-as for the port, e.g. <c>tcp.port==N,tls</c> or <c>udp.port==N,dtls</c>.</param>
    public static List<string> MessageCodes(string wire, int port, string layer, string? keyLog, string scratchDirectory)
    {
        var lua = Path.Combine(scratchDirectory, "reload-over-tls.lua");
        File.WriteAllText(lua, $"DissectorTable.get(\"tls.port\"):add({port}, Dissector.get(\"reload-framing\"))\n");
        List<string> arguments = ["-X", $"lua_script:{lua}", "-r", wire, "-d", layer, "-Y", "reload.message.code", "-T", "fields", "-e", "reload.message.code"];
        if (keyLog is not null) arguments.AddRange(["-o", $"tls.keylog_file:{keyLog}"]);
        var (exit, fields, error) = ExternalTool.Run("tshark", arguments);
        Assert.True(exit == 0, $"tshark exit {exit}: {error}");
        return fields.Split('\n', StringSplitOptions.RemoveEmptyEntries).SelectMany(l => l.Trim().Split(',')).ToList();
    }
}
