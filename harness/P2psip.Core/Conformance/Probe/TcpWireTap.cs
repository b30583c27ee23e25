using System.Net;
using System.Net.Sockets;

namespace P2psip.Conformance.Probe;

/// <summary>
/// A loopback TCP relay between a harness probe and the SUT that keeps the raw bytes crossing it
/// (bounded), so TR-1a can look at what the SUT's link carries on the wire: TLS records, or RELOAD
/// in clear.
/// </summary>
public sealed class TcpWireTap : IAsyncDisposable
{
    public const int Capacity = 1 << 20;

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _target;
    private readonly MemoryStream _fromSut = new(), _toSut = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accept;

    public TcpWireTap(IPEndPoint target)
    {
        _target = target;
        _listener.Start();
        _accept = Task.Run(AcceptOneAsync);
    }

    /// <summary>Where the probe connects instead of the SUT.</summary>
    public IPEndPoint Endpoint => (IPEndPoint)_listener.LocalEndpoint;

    public byte[] BytesFromSut { get { lock (_fromSut) return _fromSut.ToArray(); } }
    public byte[] BytesToSut { get { lock (_toSut) return _toSut.ToArray(); } }

    private async Task AcceptOneAsync()
    {
        try
        {
            using var inbound = await _listener.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false);
            using var outbound = new TcpClient();
            await outbound.ConnectAsync(_target, _stop.Token).ConfigureAwait(false);
            var a = PumpAsync(inbound.GetStream(), outbound.GetStream(), _toSut);
            var b = PumpAsync(outbound.GetStream(), inbound.GetStream(), _fromSut);
            await Task.WhenAny(a, b).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
        }
    }

    private async Task PumpAsync(Stream from, Stream to, MemoryStream record)
    {
        var buffer = new byte[16 * 1024];
        while (true)
        {
            int n = await from.ReadAsync(buffer, _stop.Token).ConfigureAwait(false);
            if (n == 0) return;
            lock (record) if (record.Length < Capacity) record.Write(buffer, 0, (int)Math.Min(n, Capacity - record.Length));
            await to.WriteAsync(buffer.AsMemory(0, n), _stop.Token).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        try { await _accept.ConfigureAwait(false); }
        catch (OperationCanceledException) { }
        _stop.Dispose();
    }
}
