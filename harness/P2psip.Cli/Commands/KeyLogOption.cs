namespace P2psip.Cli.Commands;

/// <summary>
/// <c>--keylog FILE</c>: the TLS secrets of this process's SslStream sessions, in the NSS key log
/// format, so Wireshark and tshark (<c>-o tls.keylog_file:FILE</c>) decrypt a wire capture of them.
/// .NET 9 and later write them on Linux (OpenSSL) when the <c>SSLKEYLOGFILE</c> environment variable
/// names the file and the <c>System.Net.EnableSslKeyLogging</c> switch is on; both are read once,
/// when the first TLS session starts, so this must run before any link opens. The DTLS links
/// (BouncyCastle) write theirs through <see cref="P2psip.Links.Dtls.DtlsKeyLog"/> to the same file.
/// </summary>
internal static class KeyLogOption
{
    public const string Switch = "System.Net.EnableSslKeyLogging";
    public const string Variable = "SSLKEYLOGFILE";

    public static System.CommandLine.Option<string?> Create() =>
        new("--keylog") { Description = "Append the TLS and DTLS session secrets (NSS key log format) to this file, for Wireshark/tshark to decrypt a wire capture (TLS: Linux)" };

    public static void Enable(string path)
    {
        var full = Path.GetFullPath(path);
        try
        {
            // Checked now, so a bad path is one line before anything starts (.NET would skip it silently).
            using (new FileStream(full, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new CliError($"--keylog {path}: cannot write: {e.Message}");
        }
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsFreeBSD())
            throw new CliError($"--keylog {path}: .NET writes TLS key logs only where OpenSSL is the TLS stack (Linux, FreeBSD)");
        P2psip.Links.Dtls.DtlsKeyLog.File = full;
        Environment.SetEnvironmentVariable(Variable, full);
        AppContext.SetSwitch(Switch, true);
    }
}
