using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;

namespace P2psip.Links.Dtls;

/// <summary>
/// The DTLS links' session secrets in the NSS key log format (<c>CLIENT_RANDOM client_random master_secret</c>,
/// the DTLS 1.2 form), appended to <see cref="File"/> when it is set, so Wireshark and tshark decrypt a
/// wire capture of them. Process-wide, like .NET's SSLKEYLOGFILE for the TLS links. BouncyCastle
/// keeps the master secret inside a <see cref="TlsSecret"/>; <see cref="TlsSecret.Encrypt"/> with an
/// encryptor that copies gives the bytes without destroying the secret.
/// </summary>
public static class DtlsKeyLog
{
    private static readonly Lock Gate = new();

    /// <summary>The key log file, or null for none.</summary>
    public static string? File { get; set; }

    internal static void Record(TlsContext context)
    {
        if (File is not { } path) return;
        var parameters = context.SecurityParameters;
        byte[] master;
        try { master = parameters.MasterSecret.Encrypt(new CopyingEncryptor()); }
        catch (Exception e) when (e is InvalidOperationException or IOException) { return; } // the secret is gone already
        var line = $"CLIENT_RANDOM {Convert.ToHexStringLower(parameters.ClientRandom)} {Convert.ToHexStringLower(master)}\n";
        lock (Gate)
        {
            try { System.IO.File.AppendAllText(path, line); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
    }

    private sealed class CopyingEncryptor : TlsEncryptor
    {
        public byte[] Encrypt(byte[] input, int inOff, int length) => input.AsSpan(inOff, length).ToArray();
    }
}
