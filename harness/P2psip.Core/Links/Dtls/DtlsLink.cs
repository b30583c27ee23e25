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
/// </summary>
public sealed class DtlsLink : IOverlayLink
{
    public const string ProtocolName = "DTLS-UDP-SR-NO-ICE";

    private readonly DtlsTransport _dtls;
    private readonly TappedDatagramTransport _transport;
    private readonly DtlsLinkOptions _options;
    private readonly object _sendLock = new();
    private readonly SemaphoreSlim _oneInFlight = new(1, 1);
    private readonly Channel<ReadOnlyMemory<byte>> _inbox = Channel.CreateUnbounded<ReadOnlyMemory<byte>>();
    private readonly ReceivedWindow _received = new();
    private readonly Thread _pump;
    private volatile bool _stopping;
    private uint _nextSequence;
    private long _lastAckTicks;

    // The message in flight: the sequence numbers of its transmissions, and who waits for an ACK of any of them.
    private readonly HashSet<uint> _inFlight = [];
    private TaskCompletionSource? _acked;

    internal DtlsLink(DtlsTransport dtls, TappedDatagramTransport transport, ReloadCertificate? peer, DtlsLinkOptions options)
    {
        _dtls = dtls;
        _transport = transport;
        _options = options;
        PeerCertificate = peer;
        PeerNodeId = peer is { NodeIds.Count: > 0 } ? peer.NodeIds[0] : Opaque.Empty;
        _pump = new Thread(Pump) { IsBackground = true, Name = "dtls-link" };
        _pump.Start();
    }

    public string Protocol => ProtocolName;
    public bool IsSecure => true;
    public Opaque PeerNodeId { get; }
    public ReloadCertificate? PeerCertificate { get; }
    public LinkTap? Tap { get; set; }

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

    public async Task SendAsync(ReadOnlyMemory<byte> message, CancellationToken cancel = default)
    {
        byte[]? payload = message.ToArray();
        if (Tap is { } tap) payload = tap(LinkDirection.Outbound, payload);
        if (payload is null) return;
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
            Failure = $"no ACK after {_options.MaxTransmissions} transmissions";
            _ = Task.Run(() => DisposeAsync().AsTask());
            throw new LinkFailedException(Failure);
        }
        catch (Exception e) when (e is not LinkFailedException and not OperationCanceledException)
        {
            // Anything unexpected from DTLS below also ends the link, closed and with the reason.
            Failure ??= $"DTLS send failed: {e.Message}";
            _ = Task.Run(() => DisposeAsync().AsTask());
            throw new LinkFailedException(Failure);
        }
        finally
        {
            lock (_inFlight) _acked = null;
            _oneInFlight.Release();
        }
    }

    public async Task<ReadOnlyMemory<byte>?> ReceiveAsync(CancellationToken cancel = default)
    {
        while (await _inbox.Reader.WaitToReadAsync(cancel).ConfigureAwait(false))
            if (_inbox.Reader.TryRead(out var message)) return message;
        return null;
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
                        byte[]? message = data.Message.ToArray();
                        if (Tap is { } tap) message = tap(LinkDirection.Inbound, message);
                        if (message is not null) _inbox.Writer.TryWrite(message);
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
            if (!_stopping) Failure = $"DTLS receive failed: {e.Message}";
        }
        finally
        {
            _inbox.Writer.TryComplete();
            if (!_stopping) _transport.Close();
        }
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

    private int _disposed;

    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return ValueTask.CompletedTask;
        _stopping = true;
        try
        {
            lock (_sendLock) _dtls.Close();
        }
        catch (Exception e) when (e is TlsException or IOException or ObjectDisposedException) { }
        _transport.Close();
        _pump.Join(TimeSpan.FromSeconds(2));
        _inbox.Writer.TryComplete();
        return ValueTask.CompletedTask;
    }
}
