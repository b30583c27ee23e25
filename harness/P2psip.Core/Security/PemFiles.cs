using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.OpenSsl;
using Org.BouncyCastle.X509;

namespace P2psip.Security;

/// <summary>PEM reading and writing; files holding secrets are made readable by their owner only.</summary>
public static class PemFiles
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static string ToPem(object value)
    {
        using var text = new StringWriter();
        var writer = new PemWriter(text);
        writer.WriteObject(value);
        writer.Writer.Flush();
        return text.ToString();
    }

    /// <summary>Writes <paramref name="text"/> to a file created with mode 0600 (on Unix), replacing any old one.</summary>
    public static void WriteOwnerOnly(string path, string text)
    {
        // Written beside the target and renamed over it, so a failure (a full disk) never leaves the
        // old file deleted and the new one half-written (users.json holds every account).
        var temp = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".", $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = OwnerOnly;
        try
        {
            using (var stream = new FileStream(temp, options))
            using (var writer = new StreamWriter(stream))
                writer.Write(text);
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    public static AsymmetricCipherKeyPair ReadKeyPair(string path)
    {
        using var reader = new StreamReader(path);
        return ReadKeyPair(reader) ?? throw new InvalidDataException($"{path}: no private key in PEM form");
    }

    /// <summary>Reads a private key in traditional or PKCS#8 PEM form, with its public half.</summary>
    public static AsymmetricCipherKeyPair? ReadKeyPair(TextReader reader) => new PemReader(reader).ReadObject() switch
    {
        AsymmetricCipherKeyPair pair => pair,
        RsaPrivateCrtKeyParameters rsa => new AsymmetricCipherKeyPair(new RsaKeyParameters(false, rsa.Modulus, rsa.PublicExponent), rsa),
        ECPrivateKeyParameters ec => new AsymmetricCipherKeyPair(
            new ECPublicKeyParameters(ec.AlgorithmName, ec.Parameters.G.Multiply(ec.D).Normalize(), ec.PublicKeyParamSet ?? throw new InvalidDataException("EC key without a named curve")), ec),
        _ => null,
    };

    public static X509Certificate ReadCertificate(string path)
    {
        using var reader = new StreamReader(path);
        return new PemReader(reader).ReadObject() switch
        {
            X509Certificate cert => cert,
            _ => throw new InvalidDataException($"{path}: no certificate in PEM form"),
        };
    }
}
