using System.Threading.Channels;

namespace P2psip.Links;

/// <summary>
/// The bounded queue between a listener's handshakes and its <c>AcceptAsync</c> callers: finished
/// links and refusals (which <c>AcceptAsync</c> rethrows, so callers learn why a client was refused).
/// When full, a new link is closed and a refusal forgotten, each counted as an accept-queue drop.
/// </summary>
internal sealed class AcceptQueue<TLink>(int capacity, ListenerCounters counters) where TLink : class, IAsyncDisposable
{
    private readonly Channel<(TLink? Link, LinkRefusedException? Refusal)> _queue =
        Channel.CreateBounded<(TLink?, LinkRefusedException?)>(new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.Wait });

    public int Count => _queue.Reader.Count;

    public void Offer(TLink link)
    {
        if (_queue.Writer.TryWrite((link, null))) return;
        counters.AcceptQueueDrop();
        _ = link.DisposeAsync().AsTask().ContinueWith(t => _ = t.Exception, TaskScheduler.Default);
    }

    public void Refuse(LinkRefusedException refusal)
    {
        if (!_queue.Writer.TryWrite((null, refusal))) counters.AcceptQueueDrop();
    }

    public async Task<TLink> TakeAsync(CancellationToken cancel)
    {
        var (link, refusal) = await _queue.Reader.ReadAsync(cancel).ConfigureAwait(false);
        return link ?? throw refusal!;
    }

    /// <summary>Stops taking links and closes those nobody accepted.</summary>
    public async ValueTask CloseAsync()
    {
        _queue.Writer.TryComplete();
        while (_queue.Reader.TryRead(out var item))
            if (item.Link is { } link) await link.DisposeAsync().ConfigureAwait(false);
    }
}
