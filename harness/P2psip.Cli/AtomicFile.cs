namespace P2psip.Cli;

/// <summary>
/// Writes a file whole or not at all: into a temporary file beside it, then renamed over the target,
/// so that a reader never sees half a file and a failure leaves the old one (or none).
/// </summary>
internal static class AtomicFile
{
    /// <summary>Calls <paramref name="write"/> with a temporary path, then moves it to <paramref name="path"/>.</summary>
    public static void Write(string path, Action<string> write)
    {
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full) ?? ".";
        if (!Directory.Exists(directory)) throw new CliError($"{path}: no such directory {directory}");
        var temp = Path.Combine(directory, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        try
        {
            write(temp);
            File.Move(temp, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            throw new CliError($"{path}: cannot write: {e.Message}");
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    public static void WriteAllBytes(string path, byte[] bytes) => Write(path, temp => File.WriteAllBytes(temp, bytes));

    private static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
