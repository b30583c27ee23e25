using System.Text;

namespace P2psip.Cli;

/// <summary>
/// Standard output that turns a failed write (a full disk, a closed pipe) into one line — "standard
/// output: cannot write: ..." — instead of an exception from deep inside a verb.
/// </summary>
internal sealed class GuardedOutput(TextWriter inner) : TextWriter
{
    public override Encoding Encoding => inner.Encoding;

    /// <summary>
    /// The process's standard output as bytes, when this guards the console: verbs that print a lot
    /// (decode --pcap) write UTF-8 there directly instead of through the line-flushing console writer.
    /// Flush this writer first so that what was written as text comes before.
    /// </summary>
    public Stream? Bytes { get; init; }

    /// <summary>Writes to <see cref="Bytes"/> with the same one-line failure as text.</summary>
    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        try { Bytes!.Write(bytes); }
        catch (IOException e) { throw new CliError($"standard output: cannot write: {Errors.Reason(e)}"); }
    }

    public override void Write(char value) => Guard(() => inner.Write(value));
    public override void Write(string? value) => Guard(() => inner.Write(value));
    public override void Write(char[] buffer, int index, int count) => Guard(() => inner.Write(buffer, index, count));
    public override void WriteLine(string? value) => Guard(() => inner.WriteLine(value));
    public override void WriteLine() => Guard(inner.WriteLine);
    public override void Flush() => Guard(inner.Flush);

    internal static void Guard(Action write)
    {
        try { write(); }
        catch (IOException e) { throw new CliError($"standard output: cannot write: {Errors.Reason(e)}"); }
    }
}
