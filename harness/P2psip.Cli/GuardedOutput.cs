using System.Text;

namespace P2psip.Cli;

/// <summary>
/// Standard output that turns a failed write (a full disk, a closed pipe) into one line — "standard
/// output: cannot write: ..." — instead of an exception from deep inside a verb.
/// </summary>
internal sealed class GuardedOutput(TextWriter inner) : TextWriter
{
    public override Encoding Encoding => inner.Encoding;

    public override void Write(char value) => Guard(() => inner.Write(value));
    public override void Write(string? value) => Guard(() => inner.Write(value));
    public override void Write(char[] buffer, int index, int count) => Guard(() => inner.Write(buffer, index, count));
    public override void WriteLine(string? value) => Guard(() => inner.WriteLine(value));
    public override void WriteLine() => Guard(inner.WriteLine);
    public override void Flush() => Guard(inner.Flush);

    private static void Guard(Action write)
    {
        try { write(); }
        catch (IOException e) { throw new CliError($"standard output: cannot write: {Errors.Reason(e)}"); }
    }
}
