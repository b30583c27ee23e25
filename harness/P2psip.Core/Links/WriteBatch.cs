namespace P2psip.Links;

/// <summary>
/// The writes a relay's reader causes while it hands on the frames of one read (the forwards to
/// other links): held in each link's queue and written at the end of the read, one TLS write per
/// link for all of them instead of one per frame (issue 8). Ambient to the reader's delivery; once
/// closed, a write (e.g. a delayed one started from it) goes out at once as usual.
/// </summary>
internal sealed class WriteBatch
{
    private static readonly AsyncLocal<WriteBatch?> Ambient = new();
    private readonly List<(CoalescingWriter Writer, Task Written)> _held = [];
    private bool _closed;

    /// <summary>The batch open around the current delivery, if any.</summary>
    public static WriteBatch? Current => Ambient.Value;

    public static WriteBatch Open() => Ambient.Value = new WriteBatch();

    /// <summary>Queues <paramref name="encode"/>'s bytes to be written at the end of the batch; false once it is closed.</summary>
    public bool TryHold(CoalescingWriter writer, Func<byte[]> encode)
    {
        lock (_held)
        {
            if (_closed) return false;
            _held.Add((writer, writer.Queue(encode)));
            return true;
        }
    }

    /// <summary>Writes what was held. A link whose write fails finds out from its own reader and writes; the batch ignores it.</summary>
    public Task CloseAsync()
    {
        // Not async, so that the caller's context loses the batch too.
        Ambient.Value = null;
        return WriteHeld();
    }

    private async Task WriteHeld()
    {
        (CoalescingWriter Writer, Task Written)[] held;
        lock (_held)
        {
            _closed = true;
            held = [.. _held];
        }
        foreach (var writer in held.Select(h => h.Writer).Distinct()) await writer.FlushAsync().ConfigureAwait(false);
        foreach (var (_, written) in held)
        {
            try { await written.ConfigureAwait(false); }
            catch (Exception) { }
        }
    }
}
