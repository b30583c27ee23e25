namespace P2psip.Cli;

/// <summary>Reads input files, turning every I/O failure into a one-line <see cref="CliError"/>.</summary>
internal static class InputFiles
{
    public static byte[] Read(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (FileNotFoundException)
        {
            throw new CliError($"{path}: no such file");
        }
        catch (DirectoryNotFoundException)
        {
            throw new CliError($"{path}: no such file");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new CliError($"{path}: cannot read: {e.Message}");
        }
    }
}
