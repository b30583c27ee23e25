namespace P2psip.Cli.Files;

/// <summary>
/// One output file written whole or not at all (an <see cref="OutputSet"/> of one): a reader never
/// sees half a file, a failure leaves the old one, a device or FIFO is written in place, and an output
/// that is one of <c>inputs</c> is refused.
/// </summary>
internal static class AtomicFile
{
    /// <summary>Calls <paramref name="write"/> with a temporary path, then puts it in place at <paramref name="path"/>.</summary>
    public static void Write(string path, Action<string> write, IEnumerable<string>? inputs = null)
    {
        using var set = new OutputSet(inputs);
        set.Add(path, write);
        set.Commit();
    }

    public static void WriteAllBytes(string path, byte[] bytes) => Write(path, temp => File.WriteAllBytes(temp, bytes));
}
