using Org.BouncyCastle.Crypto;
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
        if (File.Exists(path)) File.Delete(path);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = OwnerOnly;
        using var stream = new FileStream(path, options);
        using var writer = new StreamWriter(stream);
        writer.Write(text);
    }

    public static AsymmetricCipherKeyPair ReadKeyPair(string path)
    {
        using var reader = new StreamReader(path);
        return new PemReader(reader).ReadObject() switch
        {
            AsymmetricCipherKeyPair pair => pair,
            _ => throw new InvalidDataException($"{path}: no private key in PEM form"),
        };
    }

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
