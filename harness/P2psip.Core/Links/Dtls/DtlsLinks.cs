using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Org.BouncyCastle.Tls;
using P2psip.Wire;

namespace P2psip.Links.Dtls;

/// <summary>Opens DTLS-UDP-SR-NO-ICE links (§6.6.4) with mutual certificate authentication against the overlay's root.</summary>
public static class DtlsLinks
{
    /// <summary>
    /// Connects to <paramref name="remote"/>; with <paramref name="expectedNodeId"/> the server's
    /// certificate must carry that Node-ID. Throws <see cref="LinkRefusedException"/> with the reason.
    /// </summary>
    public static async Task<DtlsLink> ConnectAsync(IPEndPoint remote, LinkSecurity security, Opaque? expectedNodeId = null,
        DtlsLinkOptions? options = null, CancellationToken cancel = default)
    {
        options ??= DtlsLinkOptions.Default;
        var transport = new ConnectedUdpTransport(remote) { DatagramTap = options.DatagramTap };
        var client = new ReloadDtlsClient(security, expectedNodeId, options.HandshakeTimeoutMillis);
        try
        {
            // BouncyCastle's DTLS handshake blocks; run it off the caller's thread.
            var dtls = await Task.Run(() => new DtlsClientProtocol().Connect(client, transport), cancel).ConfigureAwait(false);
            return new DtlsLink(dtls, transport, client.PeerCheck?.Certificate, options, LinkRole.Initiator, TlsLinks.LocalNodeId(security));
        }
        catch (Exception e) when (e is TlsException or IOException)
        {
            transport.Close();
            var reason = client.PeerCheck is { Accepted: false } refused
                ? $"server {remote}: {refused.Refusal}"
                : e is TlsFatalAlertReceived alert
                    ? $"server {remote} refused the handshake with alert {AlertDescription.GetText(alert.AlertDescription)}"
                    : $"DTLS handshake with {remote} failed: {e.Message}";
            security.Refused("client", reason);
            throw new LinkRefusedException(reason, e);
        }
    }
}

/// <summary>
/// Accepts DTLS-UDP-SR-NO-ICE links on one UDP port: datagrams are sorted by source address, and
/// each new source gets its own DTLS server handshake. Bounded (issue 11): state for at most
/// <see cref="DtlsLinkOptions.MaxSources"/> sources, at most
/// <see cref="DtlsLinkOptions.MaxConcurrentHandshakes"/> handshakes at once, and at most
/// <see cref="LinkLimits.AcceptQueueCapacity"/> links waiting to be accepted; a datagram from a
/// new source beyond a cap is dropped (no state, no task) and counted in <see cref="Counters"/>.
/// </summary>
public sealed class DtlsLinkListener : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly LinkSecurity _security;
    private readonly DtlsLinkOptions _options;
    private readonly ConcurrentDictionary<EndPoint, DemultiplexedUdpTransport> _peers = new();
    private readonly AcceptQueue<DtlsLink> _accepted;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _receiver;
    private int _handshaking;

    public DtlsLinkListener(IPEndPoint endpoint, LinkSecurity security, DtlsLinkOptions? options = null)
    {
        if (security.Identity is null) throw new ArgumentException("a DTLS server needs an identity", nameof(security));
        _security = security;
        _options = options ?? DtlsLinkOptions.Default;
        _accepted = new AcceptQueue<DtlsLink>(_options.Limits.AcceptQueueCapacity, Counters);
        _socket = new Socket(endpoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        _socket.Bind(endpoint);
        _receiver = Task.Run(ReceiveLoop);
    }

    public IPEndPoint LocalEndpoint => (IPEndPoint)_socket.LocalEndPoint!;

    /// <summary>What was dropped at the bounds.</summary>
    public ListenerCounters Counters { get; } = new();

    /// <summary>Sources with state now (handshaking or linked).</summary>
    public int Sources => _peers.Count;

    /// <summary>Server handshakes running now.</summary>
    public int Handshaking => Volatile.Read(ref _handshaking);

    /// <summary>Finished links (and refusals) waiting for <see cref="AcceptAsync"/>.</summary>
    public int Waiting => _accepted.Count;

    /// <summary>The next link whose handshake finished; throws <see cref="LinkRefusedException"/> for a client that was refused.</summary>
    public Task<DtlsLink> AcceptAsync(CancellationToken cancel = default) => _accepted.TakeAsync(cancel);

    private async Task ReceiveLoop()
    {
        var buffer = new byte[65536];
        EndPoint any = new IPEndPoint(_socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult got;
            try { got = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, any, _stop.Token).ConfigureAwait(false); }
            catch (OperationCanceledException) { break; }
            catch (ObjectDisposedException) { break; }
            catch (SocketException) { continue; } // e.g. an ICMP error for an earlier send
            var from = got.RemoteEndPoint;
            var datagram = buffer.AsSpan(0, got.ReceivedBytes).ToArray();
            if (_peers.TryGetValue(from, out var peer))
            {
                peer.Enqueue(datagram);
                continue;
            }
            // A new source: state and a handshake task only within the caps (a UDP flood from many sources costs nothing beyond them).
            if (_peers.Count >= _options.MaxSources)
            {
                Counters.SourceOverCap();
                continue;
            }
            if (Interlocked.Increment(ref _handshaking) > _options.MaxConcurrentHandshakes)
            {
                Interlocked.Decrement(ref _handshaking);
                Counters.HandshakeOverCap();
                continue;
            }
            peer = new DemultiplexedUdpTransport(_socket, from, () => _peers.TryRemove(from, out _)) { DatagramTap = _options.DatagramTap };
            _peers[from] = peer;
            peer.Enqueue(datagram);
            _ = Task.Run(() => Handshake(peer));
        }
    }

    private void Handshake(DemultiplexedUdpTransport transport)
    {
        var server = new ReloadDtlsServer(_security, _options.HandshakeTimeoutMillis);
        try
        {
            var dtls = new DtlsServerProtocol().Accept(server, transport);
            _accepted.Offer(new DtlsLink(dtls, transport, server.PeerCheck?.Certificate, _options, LinkRole.Acceptor, TlsLinks.LocalNodeId(_security)));
        }
        catch (Exception e)
        {
            // Any failure, of whatever type, ends this source's handshake only.
            transport.Close();
            if (_stop.IsCancellationRequested) return;
            if (e is TlsTimeoutException) Counters.HandshakeTimedOut();
            var reason = server.PeerCheck is { Accepted: false } refused
                ? $"client {transport.Remote}: {refused.Refusal}"
                : $"DTLS handshake with {transport.Remote} failed: {e.Message}";
            _security.Refused("server", reason);
            _accepted.Refuse(new LinkRefusedException(reason, e));
        }
        finally { Interlocked.Decrement(ref _handshaking); }
    }

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested) return;
        _stop.Cancel();
        _socket.Dispose();
        try { await _receiver.ConfigureAwait(false); }
        catch (OperationCanceledException) { }
        foreach (var peer in _peers.Values) peer.Close();
        await _accepted.CloseAsync().ConfigureAwait(false);
    }
}
