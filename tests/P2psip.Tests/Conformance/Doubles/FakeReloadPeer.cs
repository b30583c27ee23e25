using System.Net;
using P2psip.Conformance;
using P2psip.Links;
using P2psip.Messages;
using P2psip.Messages.Link;
using P2psip.Security;
using P2psip.Wire;

namespace P2psip.Tests.Conformance.Doubles;

/// <summary>The one way a <see cref="FakeReloadPeer"/> gets RELOAD wrong.</summary>
public enum Misbehaviour
{
    /// <summary>Plaintext TCP without §6.6.2 framing (messages back to back), Ping answers unsigned.</summary>
    PlaintextUnframed,
    /// <summary>Answers carry another transaction id than the request's (§6.3.2: the answer echoes it).</summary>
    WrongTransactionId,
    /// <summary>Answers carry version 0x01, a draft's, not 0x0a (§6.3.2: RELOAD 1.0 is 0x0a).</summary>
    DraftVersion,
    /// <summary>Answers carry no signature (§6.3.4: every message is signed).</summary>
    SignsNothing,
}

/// <summary>
/// A misbehaving third-party RELOAD peer for the certification tests: a TcpListener (through
/// <see cref="PlaintextLinkListener"/>, framed or not) that answers every PingReq it can decode with
/// a PingAns, wrong in the one way it is told, and ignores every other request. It answers along
/// the reversed Via list (§6.3.2.2), as a plaintext peer must.
/// </summary>
internal sealed class FakeReloadPeer : IAsyncDisposable
{
    private readonly Misbehaviour _misbehaviour;
    private readonly Identity? _identity;
    private readonly PlaintextLinkListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _pings;
    private int _others;

    public FakeReloadPeer(Misbehaviour misbehaviour, Identity? identity)
    {
        _misbehaviour = misbehaviour;
        _identity = identity;
        _listener = new PlaintextLinkListener(new IPEndPoint(IPAddress.Loopback, 0), framed: Transport == SutTransport.InsecureTcp);
        _accepting = Task.Run(AcceptLoop);
    }

    public IPEndPoint Endpoint => _listener.LocalEndpoint;

    public SutTransport Transport => _misbehaviour == Misbehaviour.PlaintextUnframed ? SutTransport.InsecureTcpUnframed : SutTransport.InsecureTcp;

    /// <summary>Pings answered and other requests ignored so far.</summary>
    public int Pings => Volatile.Read(ref _pings);
    public int Others => Volatile.Read(ref _others);

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            StreamLink link;
            try { link = await _listener.AcceptInsecureAsync(_stop.Token); }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or System.Net.Sockets.SocketException) { return; }
            _ = Task.Run(() => Serve(link));
        }
    }

    private async Task Serve(StreamLink link)
    {
        await using var _ = link;
        link.Start();
        while (!_stop.IsCancellationRequested)
        {
            ReadOnlyMemory<byte>? bytes;
            try { bytes = await link.ReceiveAsync(_stop.Token); }
            catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException) { return; }
            if (bytes is not { } received) return;
            if (ReloadCodec.DecodeCopy(received.Span).Value is not { } request) continue;
            if (request.Body is not PingReq)
            {
                Interlocked.Increment(ref _others);
                continue;
            }
            Interlocked.Increment(ref _pings);
            try { await link.SendAsync(Answer(request), _stop.Token); }
            catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException or InvalidOperationException) { return; }
        }
    }

    private byte[] Answer(ReloadMessage request)
    {
        var header = new ForwardingHeader
        {
            Overlay = request.Header.Overlay,
            ConfigurationSequence = request.Header.ConfigurationSequence,
            TransactionId = _misbehaviour == Misbehaviour.WrongTransactionId ? request.Header.TransactionId ^ 0x5a5a : request.Header.TransactionId,
            DestinationList = [.. request.Header.ViaList.Reverse()],
        };
        var answer = new ReloadMessage(header, new PingAns((ulong)Random.Shared.NextInt64(), (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
        var signed = _misbehaviour is Misbehaviour.PlaintextUnframed or Misbehaviour.SignsNothing || _identity is null
            ? answer
            : MessageSigner.Sign(answer, _identity);
        var bytes = ReloadCodec.Encode(signed);
        // version is the byte after relo_token, overlay and configuration_sequence (§6.3.2).
        if (_misbehaviour == Misbehaviour.DraftVersion) bytes[10] = 0x01;
        return bytes;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _listener.DisposeAsync();
        try { await _accepting; } catch (OperationCanceledException) { }
        _stop.Dispose();
    }
}
