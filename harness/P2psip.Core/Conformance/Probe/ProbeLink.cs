using System.Net.Sockets;
using System.Threading.Channels;
using P2psip.Links;
using P2psip.Messages;
using P2psip.Security;
using P2psip.Wire;

namespace P2psip.Conformance.Probe;

/// <summary>
/// A harness party's own link to the SUT: it connects as a client (TLS-TCP-FH-NO-ICE,
/// DTLS-UDP-SR-NO-ICE, or the plaintext deviations) with an identity of the lab, sends requests
/// and waits for the answer carrying the same transaction id (§6.3.2), and records every message
/// both ways in the case's evidence. Requests the SUT sends to the probe (a ConfigUpdate after
/// Error_Config_Too_Old, §6.3.2.1) are kept in <see cref="RequestsFromSut"/>, and answered when
/// <see cref="AnswerRequests"/> is set.
/// </summary>
public sealed class ProbeLink : IAsyncDisposable
{
    private readonly IOverlayLink _link;
    private readonly EvidenceLog _evidence;
    /// <summary>Answers as read, with the reader's decoding of them (decoded once, not again by the waiter).</summary>
    private readonly Channel<(byte[] Bytes, DecodeResult<ReloadMessage> Decoded)> _answers = Channel.CreateUnbounded<(byte[], DecodeResult<ReloadMessage>)>();
    private readonly List<ReloadMessage> _requestsFromSut = [];
    private readonly List<ReloadMessage> _unmatched = [];
    private readonly HashSet<ulong> _sent = [];
    private readonly Task _reader;
    private readonly CancellationTokenSource _stop = new();
    private volatile bool _closed;

    private ProbeLink(IOverlayLink link, string party, Identity? identity, EvidenceLog evidence)
    {
        _link = link;
        Party = party;
        Identity = identity;
        _evidence = evidence;
        _reader = Task.Run(ReadLoop);
    }

    /// <summary>The harness party's name in the evidence ("probe", "mallory", ...).</summary>
    public string Party { get; }

    public Identity? Identity { get; }

    /// <summary>The Node-ID the SUT's certificate proved (empty on plaintext links).</summary>
    public Opaque SutNodeId => _link.PeerNodeId;

    public bool IsSecure => _link.IsSecure;

    /// <summary>Whether the SUT has closed or reset the link.</summary>
    public bool IsClosed => _closed;

    /// <summary>The underlying link (frame counters for PC-5).</summary>
    public IOverlayLink Link => _link;

    /// <summary>
    /// When set, each request the SUT sends on this link is answered with what this returns (null:
    /// no answer), on the link's reader, in the order the requests came.
    /// </summary>
    public Func<ReloadMessage, ReloadMessage?>? AnswerRequests { get; set; }

    public IReadOnlyList<ReloadMessage> RequestsFromSut
    {
        get { lock (_requestsFromSut) return _requestsFromSut.ToArray(); }
    }

    /// <summary>
    /// Opens a link to the SUT. A refusal (nothing listening, handshake aborted, silence) is a
    /// <see cref="ProbeConnectException"/>: something the case observes, never a harness error.
    /// </summary>
    public static async Task<ProbeLink> ConnectAsync(SutEndpoint sut, CertificateValidator validator, Identity? identity, string party,
        EvidenceLog evidence, TimeSpan timeout, CancellationToken cancel = default, bool expectNodeId = true, ILinkHandler? capture = null)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        deadline.CancelAfter(timeout);
        var expected = expectNodeId ? sut.NodeId : null;
        try
        {
            IOverlayLink link = sut.Transport switch
            {
                SutTransport.Tls => await TlsLinks.ConnectAsync(sut.Address, new LinkSecurity(identity, validator), expected, cancel: deadline.Token).ConfigureAwait(false),
                SutTransport.Dtls => await Links.Dtls.DtlsLinks.ConnectAsync(sut.Address, new LinkSecurity(identity, validator), expected, cancel: deadline.Token).ConfigureAwait(false),
                SutTransport.InsecureTcp => await PlaintextLinks.ConnectInsecureAsync(sut.Address, framed: true, cancel: deadline.Token).ConfigureAwait(false),
                _ => await PlaintextLinks.ConnectInsecureAsync(sut.Address, framed: false, cancel: deadline.Token).ConfigureAwait(false),
            };
            evidence.Note($"{party}: link to {sut.Address} over {link.Protocol} up" + (link.PeerNodeId.Length > 0 ? $", SUT proved Node-ID {link.PeerNodeId.ToHex()}" : ""));
            // On before the link's first message: the capture holds everything it carried (decrypted).
            if (capture is not null) link.Pipeline.Add(capture);
            return new ProbeLink(link, party, identity, evidence);
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            evidence.Note($"{party}: no link to {sut.Address} within {timeout.TotalSeconds:0.#} s");
            throw new ProbeConnectException(ProbeConnectFailure.Timeout, $"no link to {sut.Address} within {timeout.TotalSeconds:0.#} s");
        }
        catch (LinkRefusedException e)
        {
            var kind = e.InnerException is SocketException ? ProbeConnectFailure.Refused : ProbeConnectFailure.HandshakeRefused;
            evidence.Note($"{party}: link to {sut.Address} refused: {e.Message}");
            throw new ProbeConnectException(kind, e.Message, e);
        }
        catch (Exception e) when (e is SocketException or IOException or System.Security.Authentication.AuthenticationException)
        {
            var kind = e is SocketException { SocketErrorCode: SocketError.ConnectionRefused } ? ProbeConnectFailure.Refused : ProbeConnectFailure.HandshakeRefused;
            evidence.Note($"{party}: link to {sut.Address} failed: {e.Message}");
            throw new ProbeConnectException(kind, e.Message, e);
        }
    }

    /// <summary>Sends bytes as they are (wrong messages on purpose).</summary>
    public async Task SendRawAsync(ReadOnlyMemory<byte> bytes)
    {
        _evidence.Sent(Party, bytes.Span);
        try
        {
            await _link.SendAsync(bytes, _stop.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException or SocketException or InvalidOperationException)
        {
            _closed = true;
            _evidence.Note($"{Party}: send failed, link gone: {e.Message}");
        }
    }

    public Task SendAsync(ReloadMessage message)
    {
        lock (_sent) _sent.Add(message.Header.TransactionId);
        return SendRawAsync(ReloadCodec.Encode(message));
    }

    /// <summary>Sends a request and waits for the SUT's answer to it (same transaction id).</summary>
    public async Task<ProbeReply> RequestAsync(ReloadMessage request, TimeSpan timeout) =>
        await RequestRawAsync(ReloadCodec.Encode(request), request.Header.TransactionId, timeout).ConfigureAwait(false);

    /// <summary>Sends bytes and waits for an answer carrying <paramref name="transactionId"/>.</summary>
    public async Task<ProbeReply> RequestRawAsync(byte[] bytes, ulong transactionId, TimeSpan timeout)
    {
        lock (_sent) _sent.Add(transactionId);
        await SendRawAsync(bytes).ConfigureAwait(false);
        return await AnswerAsync(transactionId, timeout).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends a message the SUT should drop, then a valid Ping as a barrier: once the Ping is answered
    /// (and a short grace has passed), silence about the first message means it was dropped. Saves
    /// waiting the whole answer timeout for every "must be dropped" case.
    /// </summary>
    public async Task<ProbeReply> RequestExpectingSilenceAsync(byte[] bytes, ulong transactionId, ReloadMessage barrier, TimeSpan timeout)
    {
        lock (_sent) _sent.Add(transactionId);
        await SendRawAsync(bytes).ConfigureAwait(false);
        var barrierReply = await RequestAsync(barrier, timeout).ConfigureAwait(false);
        var grace = barrierReply.IsAnswer ? TimeSpan.FromMilliseconds(250) : TimeSpan.Zero;
        var reply = await AnswerAsync(transactionId, grace > TimeSpan.Zero ? grace : TimeSpan.FromMilliseconds(1)).ConfigureAwait(false);
        if (reply.Kind == ProbeReplyKind.Timeout)
        {
            return barrierReply.IsAnswer
                ? reply with { Detail = "no answer; a Ping sent right after it was answered" }
                : reply with { Detail = $"no answer, and the Ping sent after it got none either ({barrierReply})" };
        }
        if (reply.Kind == ProbeReplyKind.WrongTransactionId && barrierReply.IsAnswer)
            return new ProbeReply(ProbeReplyKind.Timeout, null, null, "no answer; a Ping sent right after it was answered");
        return reply;
    }

    /// <summary>Waits for an answer carrying <paramref name="transactionId"/>; other answers are kept aside.</summary>
    public async Task<ProbeReply> AnswerAsync(ulong transactionId, TimeSpan timeout)
    {
        // An answer that arrived while the probe waited for another one (a barrier Ping) is kept aside: look there first.
        lock (_unmatched)
        {
            int kept = _unmatched.FindIndex(m => m.Header.TransactionId == transactionId);
            if (kept >= 0)
            {
                var early = _unmatched[kept];
                _unmatched.RemoveAt(kept);
                return new ProbeReply(ProbeReplyKind.Answer, early, ReloadCodec.Encode(early), "");
            }
        }
        using var deadline = new CancellationTokenSource(timeout);
        byte[]? undecodable = null;
        try
        {
            while (true)
            {
                var (bytes, decoded) = await _answers.Reader.ReadAsync(deadline.Token).ConfigureAwait(false);
                if (!decoded.IsSuccess)
                {
                    undecodable = bytes;
                    continue;
                }
                if (decoded.Value.Header.TransactionId == transactionId) return new ProbeReply(ProbeReplyKind.Answer, decoded.Value, bytes, "");
                lock (_unmatched) _unmatched.Add(decoded.Value);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (ChannelClosedException)
        {
            return new ProbeReply(ProbeReplyKind.Closed, null, null, "the SUT closed the link" + (Failure is { } f ? $" ({f})" : ""));
        }
        lock (_unmatched)
        {
            // Only an answer to no request this probe sent is a wrong transaction id (PC-4); late answers to earlier ones are not.
            var other = _unmatched.LastOrDefault(m => { lock (_sent) return !_sent.Contains(m.Header.TransactionId); });
            if (other is not null)
            {
                return new ProbeReply(ProbeReplyKind.WrongTransactionId, other, null,
                    $"an answer came with transaction id {other.Header.TransactionId:x16}, not the request's {transactionId:x16}");
            }
        }
        if (undecodable is not null)
            return new ProbeReply(ProbeReplyKind.Undecodable, null, undecodable, EvidenceLog.Summarise(undecodable));
        if (_closed) return new ProbeReply(ProbeReplyKind.Closed, null, null, "the SUT closed the link");
        return new ProbeReply(ProbeReplyKind.Timeout, null, null, $"no answer within {timeout.TotalMilliseconds:0} ms");
    }

    /// <summary>
    /// Forgets the transaction ids sent, the answers kept aside and the SUT's requests, so a link
    /// kept open across many short sessions (the network fuzzer's) does not grow without bound.
    /// </summary>
    public void Forget()
    {
        lock (_sent) _sent.Clear();
        lock (_unmatched) _unmatched.Clear();
        lock (_requestsFromSut) _requestsFromSut.Clear();
    }

    /// <summary>How many requests the SUT has sent on this link so far (to wait for the next one only).</summary>
    public int RequestsFromSutCount
    {
        get { lock (_requestsFromSut) return _requestsFromSut.Count; }
    }

    /// <summary>
    /// Waits until the SUT sends a request (not an answer) that satisfies <paramref name="match"/>,
    /// among those after the first <paramref name="skip"/>.
    /// </summary>
    public async Task<ReloadMessage?> RequestFromSutAsync(Func<ReloadMessage, bool> match, TimeSpan timeout, int skip = 0)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            lock (_requestsFromSut)
            {
                var found = _requestsFromSut.Skip(skip).FirstOrDefault(match);
                if (found is not null) return found;
            }
            if (DateTime.UtcNow >= deadline || _closed) return null;
            await Task.Delay(20).ConfigureAwait(false);
        }
    }

    private string? Failure => (_link as StreamLink)?.Failure ?? (_link as Links.Dtls.DtlsLink)?.Failure;

    private async Task ReadLoop()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var next = await _link.ReceiveAsync(_stop.Token).ConfigureAwait(false);
                if (next is not { } message) break;
                var bytes = message.ToArray();
                _evidence.Received(Party, bytes);
                var decoded = ReloadCodec.DecodeCopy(bytes);
                if (decoded.IsSuccess && MessageCodes.IsRequest(decoded.Value.MessageCode))
                {
                    lock (_requestsFromSut) _requestsFromSut.Add(decoded.Value);
                    if (AnswerRequests?.Invoke(decoded.Value) is { } answer) await SendRawAsync(ReloadCodec.Encode(answer)).ConfigureAwait(false);
                    continue;
                }
                _answers.Writer.TryWrite((bytes, decoded));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException or SocketException or InvalidOperationException)
        {
        }
        finally
        {
            _closed = true;
            _answers.Writer.TryComplete();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        try { await _link.DisposeAsync().ConfigureAwait(false); }
        catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException or OperationCanceledException) { }
        try { await _reader.ConfigureAwait(false); }
        catch (OperationCanceledException) { }
        _stop.Dispose();
    }
}
