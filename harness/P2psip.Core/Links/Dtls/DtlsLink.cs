using System.Threading.Channels;
using Org.BouncyCastle.Tls;
using P2psip.Framing;
using P2psip.Security;
using P2psip.Wire;

namespace P2psip.Links.Dtls;

/// <summary>
/// DTLS-UDP-SR-NO-ICE (§6.6.4): framed RELOAD over DTLS 1.2 over UDP with simple reliability
/// (§6.6.3). The receiver ACKs every DATA frame with the received bitmask of the last 32 sequence
/// numbers; the sender is stop-and-wait (§6.6.3.1): one unacknowledged message at a time, each
/// retransmission under a new sequence number after an RTO doubled each time, up to
/// <see cref="DtlsLinkOptions.MaxTransmissions"/>, and a pause after each ACK. A retransmission
/// whose ACK was lost reaches the receiver twice; RELOAD's transaction layer drops such duplicates.
/// BouncyCastle's DTLS receive blocks, so each link has one receive thread, which ACKs from the
/// start and hands messages through a bounded queue (<see cref="LinkLimits.InboxCapacity"/>, drops
/// counted) to the pipeline, which takes them from <see cref="PipelinedLink.Start"/> on; so a slow
/// handler never stalls the ACKs and no handler put on before Start misses a message.
/// A link that gets no ACK after the last transmission, or whose DTLS fails, closes itself.
/// </summary>
public sealed class DtlsLink : PipelinedLink
{
    public const string ProtocolName = "DTLS-UDP-SR-NO-ICE";

    private readonly DtlsTransport _dtls;
    private readonly TappedDatagramTransport _transport;
    private readonly DtlsLinkOptions _options;
    private readonly object _sendLock = new();
    private readonly SemaphoreSlim _oneInFlight = new(1, 1);
    private readonly Channel<ReadOnlyMemory<byte>> _arrived;
    private readonly ReceivedWindow _received = new();
    private readonly Thread _pump;
    private Task _delivery = Task.CompletedTask;
    private volatile bool _stopping;
    private uint _nextSequence;
    private long _lastAckTicks;

    // The message in flight: the sequence numbers of its transmissions, and who waits for an ACK of any of them.
    private readonly HashSet<uint> _inFlight = [];
    private TaskCompletionSource? _acked;

    internal DtlsLink(DtlsTransport dtls, TappedDatagramTransport transport, ReloadCertificate? peer, DtlsLinkOptions options, LinkRole role, Opaque localNodeId)
        : base(new LinkInfo(ProtocolName, true, role, transport.LocalEndPoint, transport.RemoteEndPoint, localNodeId, LinkInfo.NodeIdOf(peer), peer), options.Limits)
    {
        _dtls = dtls;
        _transport = transport;
        _options = options;
        _arrived = Channel.CreateBounded<ReadOnlyMemory<byte>>(new BoundedChannelOptions(options.Limits.InboxCapacity) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });
        // The receive thread runs from the handshake on, so the far end's DATA is ACKed (§6.6.3.1: its
        // sender would otherwise retransmit and give up) and our sends see their ACKs; the messages
        // wait, bounded, and enter the pipeline only at Start, so no handler misses one.
        _pump = new Thread(Pump) { IsBackground = true, Name = "dtls-link" };
        _pump.Start();
    }

    /// <summary>Sees every UDP datagram (DTLS record) in each direction; may drop or change it.</summary>
    public LinkTap? DatagramTap
    {
        get => _transport.DatagramTap;
        set => _transport.DatagramTap = value;
    }

    /// <summary>DATA frames sent, counting each retransmission.</summary>
    public long Transmissions => Interlocked.Read(ref _transmissions);
    private long _transmissions;
    /// <summary>Why the link closed, when it did not close in order.</summary>
    public string? Failure { get; private set; }

    protected override void StartReading() => _delivery = Task.Run(DeliveryLoop);

    protected override async ValueTask WriteAsync(ReadOnlyMemory<byte> message, CancellationToken cancel)
    {
        var payload = message.ToArray();
        // A node MUST NOT have more than one unacknowledged message on the DTLS connection (§6.6.3.1).
        await _oneInFlight.WaitAsync(cancel).ConfigureAwait(false);
        try
        {
            // A sender MUST wait 10 ms between receipt of an ACK and transmission of the next message.
            var since = TimeSpan.FromTicks(Environment.TickCount64 * TimeSpan.TicksPerMillisecond - Interlocked.Read(ref _lastAckTicks));
            if (since < _options.AckToNextMessage) await Task.Delay(_options.AckToNextMessage - since, cancel).ConfigureAwait(false);

            var acked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_inFlight)
            {
                _inFlight.Clear();
                _acked = acked;
            }
            var wait = _options.Rto;
            for (int transmission = 0; transmission < _options.MaxTransmissions; transmission++)
            {
                if (Failure is not null) throw new LinkFailedException(Failure);
                if (_transport.IsClosed) throw new LinkFailedException("the DTLS link is closed");
                uint sequence;
                lock (_inFlight)
                {
                    sequence = _nextSequence++; // each retransmission gets a new sequence number
                    _inFlight.Add(sequence);
                }
                var frame = new DataFrame(sequence, payload).Encode();
                lock (_sendLock) _dtls.Send(frame, 0, frame.Length);
                Interlocked.Increment(ref _transmissions);
                if (await Task.WhenAny(acked.Task, Task.Delay(wait, cancel)).ConfigureAwait(false) == acked.Task) return;
                cancel.ThrowIfCancellationRequested();
                wait *= 2; // MUST double the time to wait after each retransmission
            }
            // The neighbour is gone (§6.6.3.1): close the link, so its owner sees it closed rather than routing to it.
            Fail($"no ACK after {_options.MaxTransmissions} transmissions");
            throw new LinkFailedException(Failure!);
        }
        catch (Exception e) when (e is not LinkFailedException and not OperationCanceledException)
        {
            // Anything unexpected from DTLS below also ends the link, closed and with the reason.
            Fail($"DTLS send failed: {e.Message}");
            throw new LinkFailedException(Failure!);
        }
        finally
        {
            lock (_inFlight) _acked = null;
            _oneInFlight.Release();
        }
    }

    private void Fail(string reason)
    {
        Failure ??= reason;
        _ = Task.Run(() => DisposeAsync().AsTask());
    }

    private void Pump()
    {
        var buffer = new byte[_dtls.GetReceiveLimit()];
        try
        {
            while (!_stopping)
            {
                int n = _dtls.Receive(buffer, 0, buffer.Length, 100);
                if (n < 0)
                {
                    // DTLS closes the transport when the peer's close_notify arrives.
                    if (_transport.IsClosed) break;
                    continue;
                }
                var decoded = FramedMessage.Decode(buffer.AsSpan(0, n).ToArray());
                if (!decoded.IsSuccess) continue; // a bad frame is dropped like a lost datagram
                switch (decoded.Value)
                {
                    case DataFrame data:
                        // The receiver SHOULD immediately send an ACK (§6.6.2).
                        var ack = new AckFrame(data.Sequence, _received.Add(data.Sequence)).Encode();
                        lock (_sendLock) _dtls.Send(ack, 0, ack.Length);
                        if (!_arrived.Writer.TryWrite(data.Message.Memory)) Counters.ArrivalDrop();
                        break;
                    case AckFrame ackFrame:
                        OnAck(ackFrame);
                        break;
                }
            }
        }
        catch (Exception e)
        {
            // Any failure ends the link, closed, with the reason: no exception type ends the pump silently (issue 11, defect 4).
            if (!_stopping) Failure ??= $"DTLS receive failed: {e.Message}";
        }
        finally
        {
            _arrived.Writer.TryComplete();
            if (!_stopping) _transport.Close();
        }
    }

    private async Task DeliveryLoop()
    {
        try
        {
            await foreach (var message in _arrived.Reader.ReadAllAsync().ConfigureAwait(false))
                await DeliverAsync(message).ConfigureAwait(false);
        }
        finally { EndOfInput(); }
    }

    private void OnAck(AckFrame ack)
    {
        TaskCompletionSource? done = null;
        lock (_inFlight)
        {
            if (_acked is null) return;
            // An ACK of any transmission of the message, directly or through the bitmask, completes it.
            if (ReceivedWindow.Acknowledged(ack.AckSequence, ack.Received).Any(_inFlight.Contains))
            {
                done = _acked;
                _acked = null;
            }
        }
        if (done is null) return;
        Interlocked.Exchange(ref _lastAckTicks, Environment.TickCount64 * TimeSpan.TicksPerMillisecond);
        done.TrySetResult();
    }

    protected override async ValueTask CloseAsync()
    {
        _stopping = true;
        try
        {
            // In order: close_notify (RFC 6347 §4.1, RFC 5246 §7.2.1). Aborted: silence, as a crashed peer.
            if (!IsAborting) lock (_sendLock) _dtls.Close();
        }
        catch (Exception e) when (e is TlsException or IOException or ObjectDisposedException) { }
        _transport.Close();
        _arrived.Writer.TryComplete();
        _pump.Join(TimeSpan.FromSeconds(2));
        // Not awaiting the delivery loop: a handler on it may be the one closing the link; it ends by itself.
        await Task.CompletedTask.ConfigureAwait(false);
    }
}
