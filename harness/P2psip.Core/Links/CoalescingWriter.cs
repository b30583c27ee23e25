namespace P2psip.Links;

/// <summary>
/// The one writer of a stream link: frames (DATA, ACK, raw bytes) are queued in order, and whoever
/// finds no write under way writes everything queued by then in one stream write and flush. Frames
/// queued while a write is under way go out together in the next one, so a busy link writes one TLS
/// record for several frames instead of one each (the cost that dominates a relay, issue 8). The
/// order of the queue is the order on the wire (§6.6.2: sequence numbers are taken as frames are queued).
/// </summary>
internal sealed class CoalescingWriter
{
    private readonly Stream _stream;
    private readonly SemaphoreSlim _writeLock;
    private readonly CancellationToken _closing;
    private readonly object _gate = new();
    private readonly List<byte[]> _queued = [];
    private TaskCompletionSource? _batch;
    private bool _flushing;

    /// <param name="writeLock">Held while writing; a close in order takes it so it never lands inside a frame.</param>
    public CoalescingWriter(Stream stream, SemaphoreSlim writeLock, CancellationToken closing)
    {
        _stream = stream;
        _writeLock = writeLock;
        _closing = closing;
    }

    /// <summary>Queues the bytes <paramref name="encode"/> makes (called in queue order) without writing them; the task ends once they are written.</summary>
    public Task Queue(Func<byte[]> encode)
    {
        lock (_gate)
        {
            _queued.Add(encode());
            return (_batch ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        }
    }

    /// <summary>Queues, writes (or joins the write under way) and returns once the bytes are on the stream.</summary>
    public async Task WriteAsync(Func<byte[]> encode, CancellationToken cancel)
    {
        var written = Queue(encode);
        await FlushAsync().ConfigureAwait(false);
        await written.WaitAsync(cancel).ConfigureAwait(false);
    }

    /// <summary>Writes what is queued unless a write is under way (which then writes it). Failures go to the queued frames' tasks.</summary>
    public async Task FlushAsync()
    {
        lock (_gate)
        {
            if (_flushing || _batch is null) return;
            _flushing = true;
        }
        bool locked = false;
        try
        {
            await _writeLock.WaitAsync(_closing).ConfigureAwait(false);
            locked = true;
            while (true)
            {
                byte[] bytes;
                TaskCompletionSource batch;
                lock (_gate)
                {
                    if (_batch is null)
                    {
                        _flushing = false;
                        return;
                    }
                    bytes = _queued.Count == 1 ? _queued[0] : Concat(_queued);
                    _queued.Clear();
                    batch = _batch;
                    _batch = null;
                }
                try
                {
                    await _stream.WriteAsync(bytes, _closing).ConfigureAwait(false);
                    await _stream.FlushAsync(_closing).ConfigureAwait(false);
                    batch.TrySetResult();
                }
                catch (Exception e)
                {
                    batch.TrySetException(e);
                    throw;
                }
            }
        }
        catch (Exception e)
        {
            // What was queued behind the failed write fails with it; the next frame queued tries again.
            TaskCompletionSource? rest;
            lock (_gate)
            {
                _flushing = false;
                rest = _batch;
                _batch = null;
                _queued.Clear();
            }
            rest?.TrySetException(e);
        }
        finally
        {
            if (locked) _writeLock.Release();
        }
    }

    private static byte[] Concat(List<byte[]> parts)
    {
        var all = new byte[parts.Sum(p => p.Length)];
        int at = 0;
        foreach (var part in parts)
        {
            part.CopyTo(all, at);
            at += part.Length;
        }
        return all;
    }
}
