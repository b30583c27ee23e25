using System.Threading.Channels;
using P2psip.Security;
using P2psip.Wire;

namespace P2psip.Links;

/// <summary>
/// What every link here shares: the pipeline between the owner and the wire, the bounded inbox the
/// pipeline's inbound end fills (<see cref="LinkLimits.InboxCapacity"/>; a message beyond it is
/// dropped and counted), the explicit start, and the tap kept as one handler. A link supplies how
/// a message is written (<see cref="WriteAsync"/>) and how reading begins (<see cref="StartReading"/>),
/// and hands each message it reads to <see cref="DeliverAsync"/>.
/// </summary>
public abstract class PipelinedLink : IOverlayLink
{
    private readonly Channel<ReadOnlyMemory<byte>> _inbox;
    private readonly CancellationTokenSource _closing = new();
    private LinkInfo _info;
    private TapHandler? _tap;
    private int _started;

    protected PipelinedLink(LinkInfo info, LinkLimits limits)
    {
        _info = info;
        Limits = limits;
        _inbox = Channel.CreateBounded<ReadOnlyMemory<byte>>(new BoundedChannelOptions(limits.InboxCapacity) { FullMode = BoundedChannelFullMode.Wait });
        Pipeline = new LinkPipeline(() => _info, bytes => WriteAsync(bytes, _closing.Token), ToOwner, _closing.Token);
    }

    public LinkInfo Info => _info;
    public LinkPipeline Pipeline { get; }
    public LinkLimits Limits { get; }
    public LinkCounters Counters { get; } = new();
    public string Protocol => _info.Protocol;
    public bool IsSecure => _info.IsSecure;
    public Opaque PeerNodeId => _info.RemoteNodeId;
    public ReloadCertificate? PeerCertificate => _info.RemoteCertificate;
    public bool IsStarted => Volatile.Read(ref _started) != 0;
    /// <summary>Messages waiting in the inbox now.</summary>
    public int InboxCount => _inbox.Reader.Count;

    /// <summary>Cancelled when the link is disposed.</summary>
    protected CancellationToken Closing => _closing.Token;

    /// <summary>Changes what the link says about itself before it starts (e.g. a plaintext link's Node-ID, which no certificate gives).</summary>
    protected void Describe(Func<LinkInfo, LinkInfo> change) => _info = change(_info);

    public LinkTap? Tap
    {
        get => _tap?.Tap;
        set
        {
            var old = _tap;
            _tap = value is null ? null : new TapHandler(value);
            if (_tap is null) { if (old is not null) Pipeline.Remove(old); }
            else if (old is null) Pipeline.Add(_tap);
            else Pipeline.Replace(old, _tap);
        }
    }

    public void Start()
    {
        if (Interlocked.Exchange(ref _started, 1) == 0) StartReading();
    }

    protected abstract void StartReading();

    /// <summary>Writes one message to the wire (framing, reliability).</summary>
    protected abstract ValueTask WriteAsync(ReadOnlyMemory<byte> message, CancellationToken cancel);

    public async Task SendAsync(ReadOnlyMemory<byte> message, CancellationToken cancel = default)
    {
        Start();
        if (Pipeline.IsEmpty) await WriteAsync(message, cancel).ConfigureAwait(false);
        // Copied: a handler may hold the message (a delay) while the sender reuses its buffer.
        else await Pipeline.RunAsync(LinkMessage.Outbound(message.ToArray())).ConfigureAwait(false);
    }

    public async Task<ReadOnlyMemory<byte>?> ReceiveAsync(CancellationToken cancel = default)
    {
        Start();
        while (await _inbox.Reader.WaitToReadAsync(cancel).ConfigureAwait(false))
            if (_inbox.Reader.TryRead(out var message)) return message;
        return null;
    }

    /// <summary>A whole message read off the wire: through the pipeline to the inbox.</summary>
    protected ValueTask DeliverAsync(ReadOnlyMemory<byte> message)
    {
        Counters.CountReceived();
        return Pipeline.IsEmpty ? ToOwner(message) : Pipeline.ReceivedAsync(message);
    }

    private ValueTask ToOwner(ReadOnlyMemory<byte> message)
    {
        if (!_inbox.Writer.TryWrite(message) && Volatile.Read(ref _inputEnded) == 0) Counters.InboxDrop();
        return ValueTask.CompletedTask;
    }

    /// <summary>No more messages: the owner's next receive returns null once the inbox is empty.</summary>
    protected void EndOfInput()
    {
        Volatile.Write(ref _inputEnded, 1);
        _inbox.Writer.TryComplete();
    }

    private int _inputEnded, _disposed, _aborting;

    /// <summary>True while an <see cref="AbortAsync"/> closes the link: <see cref="CloseAsync"/> aborts instead of closing in order.</summary>
    protected bool IsAborting => Volatile.Read(ref _aborting) != 0;

    /// <summary>
    /// Ends the link without an orderly close: a TCP link is reset (RST, no TLS close_notify, no FIN),
    /// a DTLS link goes silent without close_notify. <see cref="DisposeAsync"/> is the orderly close.
    /// </summary>
    public ValueTask AbortAsync()
    {
        Interlocked.Exchange(ref _aborting, 1);
        return DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _closing.Cancel();
        try { await CloseAsync().ConfigureAwait(false); }
        finally { EndOfInput(); }
    }

    /// <summary>Closes the wire, in order or, when <see cref="IsAborting"/>, abruptly; called once.</summary>
    protected abstract ValueTask CloseAsync();
}
